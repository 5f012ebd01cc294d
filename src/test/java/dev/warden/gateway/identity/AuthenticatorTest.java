package dev.warden.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

  private final Authenticator authenticator = new Authenticator();

  AuthenticatorTest() {
    Map<String, String> config = Map.of(DevRegistry.ENABLED, "true", DevelopmentMode.KEY, "true");
    authenticator.devRegistry =
        new DevRegistry(
            () -> new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet()));
    authenticator.jwt =
        new JwtVerifier(
            () -> new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet()));
    authenticator.keys = new ApiKeys();
  }

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aServerStartingBesideAnotherThatSeededTheDevelopmentKeyFirstStartsAllTheSame() {
    List<String> seeds = new ArrayList<>();
    authenticator.keys =
        new ApiKeys() {
          @Override
          public void seedDevelopmentKey() {
            seeds.add("seed");
            if (seeds.size() == 1) {
              // what the insert meets when the other server's insert committed first
              throw new IllegalStateException("duplicate key value violates unique constraint");
            }
          }
        };

    authenticator.onStart(new Object());

    assertThat(seeds).hasSize(2);
  }

  @Test
  void noHeaderIsAnonymous() {
    assertThat(authenticator.authenticate(null)).isEmpty();
    assertThat(authenticator.authenticate("  ")).isEmpty();
  }

  @Test
  void basicGoesToTheDevelopmentRegistry() {
    assertThat(authenticator.authenticate(basic("dev-auditor:dev-auditor")))
        .hasValueSatisfying(i -> assertThat(i.has(Role.AUDITOR_ALL_TENANTS)).isTrue());
    // the scheme is case-insensitive; a password may hold colons
    assertThatThrownBy(
            () -> authenticator.authenticate("bAsIc " + basic("dev-user:a:b").substring(6)))
        .hasMessage("Incorrect user name or password");
  }

  @Test
  void malformedCredentialsAreRefusedNotServerErrors() {
    assertThatThrownBy(() -> authenticator.authenticate("Basic !!!not-base64"))
        .isInstanceOf(AuthenticationFailedException.class);
    assertThatThrownBy(() -> authenticator.authenticate(basic("no-colon")))
        .isInstanceOf(AuthenticationFailedException.class);
    assertThatThrownBy(() -> authenticator.authenticate("Bearer"))
        .isInstanceOf(AuthenticationFailedException.class)
        .extracting(e -> ((AuthenticationFailedException) e).code())
        .isEqualTo("invalid_api_key");
    assertThatThrownBy(() -> authenticator.authenticate("Negotiate abc"))
        .hasMessageContaining("Unsupported authorization scheme");
  }

  @Test
  void aBearerTokenThatIsNotAKeyIsAJwt() {
    // no JWT key is configured here, so it is refused as a token, not looked up as a key
    assertThatThrownBy(() -> authenticator.authenticate("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig"))
        .isInstanceOf(AuthenticationFailedException.class)
        .extracting(e -> ((AuthenticationFailedException) e).code())
        .isEqualTo("invalid_token");
  }
}
