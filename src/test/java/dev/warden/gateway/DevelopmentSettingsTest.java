package dev.warden.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import dev.warden.gateway.identity.DevRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class DevelopmentSettingsTest {

  private final Map<String, String> config = new HashMap<>();

  private Settings settings() {
    return new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet());
  }

  private void productionJwt() {
    config.put("mp.jwt.verify.publickey.location", "/etc/warden/jwt.pem");
    config.put("mp.jwt.verify.issuer", "https://login.example.com");
    config.put("mp.jwt.verify.audiences", "warden");
  }

  @Test
  void aProductionConfigurationStarts() {
    assertThat(DevelopmentSettings.problem(settings())).isEmpty();
    productionJwt();
    config.put(DevRegistry.ENABLED, "false");
    assertThat(DevelopmentSettings.problem(settings())).isEmpty();
    config.put("mp.jwt.verify.publickey.location", "https://login.example.com/jwks");
    assertThat(DevelopmentSettings.problem(settings())).isEmpty();
  }

  @Test
  void theDevelopmentRegistryOutsideDevelopmentModeIsRefusedNamingBothSettings() {
    config.put(DevRegistry.ENABLED, "true");
    assertThat(DevelopmentSettings.problem(settings()))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("warden.identity.dev-registry.enabled is true")
                    .contains("warden.dev-mode"));
  }

  @Test
  void jwtsWithoutIssuerOrAudienceAreRefused() {
    productionJwt();
    config.remove("mp.jwt.verify.issuer");
    assertThat(DevelopmentSettings.findings(settings()))
        .extracting(DevelopmentSettings.Finding::setting)
        .containsExactly("mp.jwt.verify.issuer");

    productionJwt();
    config.put("mp.jwt.verify.audiences", " , ");
    assertThat(DevelopmentSettings.findings(settings()))
        .extracting(DevelopmentSettings.Finding::setting)
        .containsExactly("mp.jwt.verify.audiences");

    // an inline key counts as configured JWT verification too
    config.clear();
    config.put("mp.jwt.verify.publickey", "-----BEGIN PUBLIC KEY-----...");
    assertThat(DevelopmentSettings.findings(settings()))
        .extracting(DevelopmentSettings.Finding::setting)
        .containsExactly("mp.jwt.verify.issuer", "mp.jwt.verify.audiences");
  }

  @Test
  void aJwksOverCleartextHttpIsRefused() {
    productionJwt();
    config.put("mp.jwt.verify.publickey.location", "HTTP://login.example.com/jwks");
    assertThat(DevelopmentSettings.problem(settings()))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("mp.jwt.verify.publickey.location is an http:// URL")
                    .contains("https://"));
  }

  @Test
  void aConsoleSignInProviderOverCleartextHttpIsRefused() {
    config.put("warden.console.oidc.issuer", "https://login.example.com/realms/acme");
    assertThat(DevelopmentSettings.problem(settings())).isEmpty();
    config.put("warden.console.oidc.issuer", "http://login.example.com/realms/acme");
    assertThat(DevelopmentSettings.problem(settings()))
        .hasValueSatisfying(
            m -> assertThat(m).contains("warden.console.oidc.issuer is an http:// URL"));
  }

  @Test
  void developmentModeAllowsEachWithOneWarningNamingIt() {
    config.put(DevRegistry.ENABLED, "true");
    config.put("mp.jwt.verify.publickey.location", "http://127.0.0.1:1/jwks");
    config.put(DevelopmentMode.KEY, "true");
    Logger log = Logger.getLogger(DevelopmentSettings.class.getName());
    List<LogRecord> warned = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            warned.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(handler);
    try {
      assertThat(DevelopmentSettings.problem(settings())).isEmpty();
    } finally {
      log.removeHandler(handler);
    }
    // one warning per setting, naming it
    assertThat(warned)
        .extracting(r -> r.getParameters()[0])
        .containsExactly(
            "warden.identity.dev-registry.enabled",
            "mp.jwt.verify.issuer",
            "mp.jwt.verify.audiences",
            "mp.jwt.verify.publickey.location");
    assertThat(warned)
        .allSatisfy(
            r -> {
              assertThat(r.getLevel()).isEqualTo(Level.WARNING);
              assertThat(r.getMessage()).startsWith("WARDEN0830W: {0} ");
            });
  }
}
