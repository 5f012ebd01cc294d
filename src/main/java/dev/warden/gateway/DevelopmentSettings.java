package dev.warden.gateway;

import dev.warden.config.ConfigProducer;
import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import dev.warden.gateway.console.OidcLogin;
import dev.warden.gateway.identity.DevRegistry;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stops the gateway's start, with one message naming each setting, when a setting meant for
 * development only is on outside development mode ({@value DevelopmentMode#KEY}): the development
 * user registry, JWT verification without {@code mp.jwt.verify.issuer} or {@code
 * mp.jwt.verify.audiences}, a JWKS fetched over cleartext {@code http://}, a console sign-in
 * provider ({@code warden.console.oidc.issuer}) over cleartext {@code http://}. In development mode
 * each is allowed, with one warning naming it (docs/operations.md, "Production checklist").
 *
 * <p>A build compatible extension: the gateway WAR's {@code WEB-INF/classes} cannot register a
 * portable one, as that services file is the library jar's.
 */
public class DevelopmentSettings implements BuildCompatibleExtension {
  private static final Logger LOG = Logger.getLogger(DevelopmentSettings.class.getName());

  static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
  static final String PUBLIC_KEY_LOCATION = "mp.jwt.verify.publickey.location";
  static final String ISSUER = "mp.jwt.verify.issuer";
  static final String AUDIENCES = "mp.jwt.verify.audiences";

  /** One setting meant for development only: the key and why it is. */
  record Finding(String setting, String why) {
    @Override
    public String toString() {
      return setting + " " + why;
    }
  }

  @Validation
  public void check(Messages messages) {
    Settings settings = ConfigProducer.settings();
    problem(settings).ifPresent(messages::error);
  }

  /**
   * The message that stops the start, if any; in development mode, logs one warning ({@code
   * WARDEN0830W}) per finding instead.
   */
  static java.util.Optional<String> problem(Settings settings) {
    List<Finding> findings = findings(settings);
    if (findings.isEmpty()) {
      return java.util.Optional.empty();
    }
    if (DevelopmentMode.on(settings)) {
      for (Finding f : findings) {
        LOG.log(
            Level.WARNING,
            "WARDEN0830W: {0} {1} (allowed in development mode only: {2}=true)",
            new Object[] {f.setting(), f.why(), DevelopmentMode.KEY});
      }
      return java.util.Optional.empty();
    }
    StringBuilder message =
        new StringBuilder(
                "Warden does not start with development settings outside development mode (")
            .append(DevelopmentMode.KEY)
            .append(" is off): ");
    for (int i = 0; i < findings.size(); i++) {
      message.append(i == 0 ? "" : "; ").append(findings.get(i));
    }
    return java.util.Optional.of(message.toString());
  }

  /** What in {@code settings} is meant for development only. */
  static List<Finding> findings(Settings settings) {
    List<Finding> findings = new ArrayList<>();
    if (settings.string(DevRegistry.ENABLED).map(Boolean::parseBoolean).orElse(false)) {
      findings.add(
          new Finding(
              DevRegistry.ENABLED,
              "is true: the development user registry's passwords and API key are public;"
                  + " set it to false"));
    }
    boolean jwt =
        settings.string(PUBLIC_KEY).isPresent() || settings.string(PUBLIC_KEY_LOCATION).isPresent();
    if (jwt) {
      if (settings.string(ISSUER).isEmpty()) {
        findings.add(
            new Finding(
                ISSUER,
                "is unset: JWTs of any issuer the key signs for are accepted; set it to the"
                    + " identity provider's issuer"));
      }
      if (settings.list(AUDIENCES).isEmpty()) {
        findings.add(
            new Finding(
                AUDIENCES,
                "is unset: JWTs meant for any other service are accepted; set it to this"
                    + " gateway's audience"));
      }
    }
    String location = settings.string(PUBLIC_KEY_LOCATION).orElse("");
    if (settings.string(PUBLIC_KEY).isEmpty()
        && location.toLowerCase(Locale.ROOT).startsWith("http://")) {
      findings.add(
          new Finding(
              PUBLIC_KEY_LOCATION,
              "is an http:// URL: the JWKS travels in cleartext and anyone on the way can"
                  + " replace the keys; use https://"));
    }
    String issuer = settings.string(OidcLogin.ISSUER).orElse("").trim();
    if (issuer.toLowerCase(Locale.ROOT).startsWith("http://")) {
      findings.add(
          new Finding(
              OidcLogin.ISSUER,
              "is an http:// URL: the console's sign-in (the provider's keys, its tokens, the"
                  + " client secret) travels in cleartext; use https://"));
    }
    return findings;
  }
}
