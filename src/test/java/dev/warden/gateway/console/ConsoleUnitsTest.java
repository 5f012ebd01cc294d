package dev.warden.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.warden.config.Settings;
import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.Role;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleUnitsTest {

  private static Settings settings(Map<String, String> config) {
    return new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet());
  }

  @Test
  void onlyLocalConsolePathsAreReturnTargets() {
    assertThat(ConsoleHttp.localTarget("/console/audit?x=1")).isEqualTo("/console/audit?x=1");
    assertThat(ConsoleHttp.localTarget("/console")).isEqualTo("/console");
    assertThat(ConsoleHttp.localTarget(null)).isEqualTo("/console/");
    assertThat(ConsoleHttp.localTarget("https://evil.example/console/")).isEqualTo("/console/");
    assertThat(ConsoleHttp.localTarget("//evil.example/console/")).isEqualTo("/console/");
    assertThat(ConsoleHttp.localTarget("/console//evil.example")).isEqualTo("/console/");
    assertThat(ConsoleHttp.localTarget("/console/\\evil")).isEqualTo("/console/");
    assertThat(ConsoleHttp.localTarget("/console/a\r\nSet-Cookie: x")).isEqualTo("/console/");
    assertThat(ConsoleHttp.localTarget("/api/audit")).isEqualTo("/console/");
    assertThat(ConsoleHttp.localTarget("/consoleother")).isEqualTo("/console/");
  }

  @Test
  void theStoredIdAndTheCsrfTokenAreDerivedAndDistinct() {
    String token = ConsoleSessions.newToken();
    assertThat(token).hasSize(43).isNotEqualTo(ConsoleSessions.newToken());
    assertThat(ConsoleSessions.hash(token)).hasSize(64).doesNotContain(token);
    assertThat(ConsoleSessions.csrfToken(token))
        .isEqualTo(ConsoleSessions.csrfToken(token))
        .isNotEqualTo(token)
        .isNotEqualTo(ConsoleSessions.csrfToken(ConsoleSessions.newToken()));
    assertThat(ConsoleSessions.same("abc", "abc")).isTrue();
    assertThat(ConsoleSessions.same("abc", "abd")).isFalse();
    assertThat(ConsoleSessions.same("abc", null)).isFalse();
  }

  @Test
  void theFlowValuesAreDerivedFromItsSecret() {
    String secret = ConsoleSessions.newToken();
    // a PKCE verifier is 43 to 128 characters of [A-Za-z0-9-._~]
    assertThat(ConsoleSessions.derive("pkce", secret)).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(ConsoleSessions.derive("state", secret))
        .isNotEqualTo(ConsoleSessions.derive("nonce", secret))
        .isNotEqualTo(ConsoleSessions.derive("state", ConsoleSessions.newToken()));
  }

  @Test
  void escapesHtml() {
    assertThat(ConsoleHttp.escape("<a href=\"x\">'&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }

  private static IDTokenClaimsSet claims(Map<String, Object> extra) throws Exception {
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer("https://idp.example")
            .subject("sub-1")
            .audience("warden-console")
            .expirationTime(new Date(System.currentTimeMillis() + 60_000))
            .issueTime(new Date());
    extra.forEach(b::claim);
    return new IDTokenClaimsSet(b.build());
  }

  @Test
  void rolesComeFromTheGroupsThroughTheMappingsOnly() throws Exception {
    Settings s =
        settings(
            Map.of(
                "warden.identity.roles.auditor", "acme-auditors",
                "warden.identity.roles.admin", "warden-admins",
                "warden.console.oidc.groups-claim", "groupIds",
                "warden.identity.jwt.tenant-claim", "org"));
    Identity id =
        OidcLogin.identity(
            claims(
                Map.of(
                    "preferred_username", "ann",
                    "groupIds", List.of("acme-auditors", "admin"),
                    "org", "acme")),
            s);
    assertThat(id.principal()).isEqualTo("ann");
    assertThat(id.tenant()).isEqualTo("acme");
    assertThat(id.roles()).containsExactly(Role.AUDITOR);
    assertThat(id.method()).isEqualTo("oidc");

    Identity single = OidcLogin.identity(claims(Map.of("groupIds", "warden-admins")), s);
    assertThat(single.principal()).isEqualTo("sub-1");
    assertThat(single.tenant()).isEqualTo("default");
    assertThat(single.roles()).containsExactly(Role.ADMIN);

    assertThatThrownBy(() -> OidcLogin.identity(claims(Map.of("groupIds", List.of("admin"))), s))
        .isInstanceOf(OidcLogin.SignInFailed.class)
        .satisfies(e -> assertThat(((OidcLogin.SignInFailed) e).status()).isEqualTo(403));
  }
}
