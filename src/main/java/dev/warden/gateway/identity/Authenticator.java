package dev.warden.gateway.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns an {@code Authorization} header into an {@link Identity}: {@code Bearer wk_…} is a Warden
 * API key, any other bearer token a MicroProfile JWT, {@code Basic} an account of the development
 * registry. No header: empty (the caller is anonymous, and {@code api.AccessFilter} refuses it).
 */
@ApplicationScoped
public class Authenticator {

  @Inject ApiKeys keys;
  @Inject JwtVerifier jwt;
  @Inject DevRegistry devRegistry;

  /**
   * The development API key exists while the development registry is on (development mode only),
   * and is revoked on any other start.
   */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    if (devRegistry.enabled()) {
      try {
        keys.seedDevelopmentKey();
      } catch (RuntimeException seededMeanwhile) {
        // another server starting on the same database inserted it at the same moment (the
        // insert lost on the primary key): it exists now, and a second look finds it
        keys.seedDevelopmentKey();
      }
    } else {
      keys.retireDevelopmentKey();
    }
  }

  /**
   * The identity the header proves.
   *
   * @throws AuthenticationFailedException if it presents credentials that are not valid
   */
  public Optional<Identity> authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Optional.empty();
    }
    String header = authorization.strip();
    int space = header.indexOf(' ');
    String scheme = space < 0 ? header : header.substring(0, space);
    String value = space < 0 ? "" : header.substring(space + 1).strip();
    switch (scheme.toLowerCase(Locale.ROOT)) {
      case "bearer":
        if (value.isEmpty()) {
          throw new AuthenticationFailedException("invalid_api_key", "The bearer token is empty");
        }
        return Optional.of(
            value.startsWith(ApiKeys.PREFIX) ? keys.authenticate(value) : jwt.verify(value));
      case "basic":
        return Optional.of(basic(value));
      default:
        throw new AuthenticationFailedException(
            "invalid_credentials", "Unsupported authorization scheme; use Bearer");
    }
  }

  private Identity basic(String value) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationFailedException("invalid_credentials", "Malformed Basic credentials");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new AuthenticationFailedException("invalid_credentials", "Malformed Basic credentials");
    }
    return devRegistry.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
