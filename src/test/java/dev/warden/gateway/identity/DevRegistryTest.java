package dev.warden.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DevRegistryTest {

  private final Map<String, String> config = new HashMap<>();

  DevRegistryTest() {
    config.put(DevelopmentMode.KEY, "true");
  }

  private DevRegistry registry() {
    return new DevRegistry(
        () -> new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet()));
  }

  @Test
  void offByDefault() {
    assertThatThrownBy(() -> registry().authenticate("dev-user", "dev-user"))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageContaining("development registry, which is off");
  }

  @Test
  void theSwitchAloneDoesNotTurnItOnOutsideDevelopmentMode() {
    config.put(DevRegistry.ENABLED, "true");
    config.remove(DevelopmentMode.KEY);
    DevRegistry r = registry();
    assertThat(r.enabled()).isFalse();
    assertThat(r.rolesOf("dev-admin")).isEmpty();
    assertThatThrownBy(() -> r.authenticate("dev-admin", "dev-admin"))
        .hasMessageContaining("development registry, which is off");
    config.put(DevelopmentMode.KEY, "true");
    assertThat(registry().enabled()).isTrue();
  }

  @Test
  void everyDocumentedAccountHasItsRole() {
    config.put(DevRegistry.ENABLED, "true");
    DevRegistry r = registry();
    assertThat(r.authenticate("dev-user", "dev-user").roles()).containsExactly(Role.AI_USER);
    assertThat(r.authenticate("dev-user-2", "dev-user-2").roles()).containsExactly(Role.AI_USER);
    assertThat(r.authenticate("dev-auditor", "dev-auditor").roles())
        .containsExactly(Role.AUDITOR_ALL_TENANTS);
    assertThat(r.authenticate("dev-admin", "dev-admin").roles())
        .containsExactlyInAnyOrder(Role.ADMIN, Role.KEY_DELEGATE);
    assertThat(r.authenticate("dev-user", "dev-user").tenant()).isEqualTo("default");
  }

  @Test
  void wrongPasswordsAndUnknownAccountsGiveOneMessage() {
    config.put(DevRegistry.ENABLED, "true");
    DevRegistry r = registry();
    assertThatThrownBy(() -> r.authenticate("dev-user", "wrong"))
        .hasMessage("Incorrect user name or password");
    assertThatThrownBy(() -> r.authenticate("root", "root"))
        .hasMessage("Incorrect user name or password");
    assertThatThrownBy(() -> r.authenticate("dev-user", null))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void aPasswordCanBeConfigured() {
    config.put(DevRegistry.ENABLED, "true");
    config.put("warden.identity.dev-registry.password.dev-admin", "s3cret-admin");
    DevRegistry r = registry();
    assertThat(r.authenticate("dev-admin", "s3cret-admin").principal()).isEqualTo("dev-admin");
    assertThatThrownBy(() -> r.authenticate("dev-admin", "dev-admin"))
        .isInstanceOf(AuthenticationFailedException.class);
  }
}
