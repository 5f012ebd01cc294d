package dev.warden.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.KeyScope;
import dev.warden.cluster.Invalidation;
import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String DEV_KEY =
      ApiKeys.PREFIX + ApiKeys.DEV_KEY_ID + "_" + ApiKeys.DEV_KEY_SECRET;
  private static final String OTHER_KEY = ApiKeys.PREFIX + "abcdefghijkm_an-admin-made-secret";

  /** The key table: the development key as the quick start seeds it, and an admin-made key. */
  private final Map<String, ApiKeyEntity> table = new HashMap<>();

  private final Map<String, String> config = new HashMap<>();

  ApiKeysTest() {
    table.put(
        ApiKeys.DEV_KEY_ID,
        new ApiKeyEntity(
            ApiKeys.DEV_KEY_ID,
            ApiKeys.hash(ApiKeys.DEV_KEY_SECRET),
            new ApiKeySpec("development key", "dev-user", "default", KeyScope.NONE, null),
            "dev-registry",
            NOW.minus(Duration.ofDays(3)),
            null));
    table.put(
        "abcdefghijkm",
        new ApiKeyEntity(
            "abcdefghijkm",
            ApiKeys.hash("an-admin-made-secret"),
            new ApiKeySpec("reports", "svc-reports", "default", KeyScope.NONE, null),
            "dev-admin",
            NOW.minus(Duration.ofDays(1)),
            NOW.plus(Duration.ofDays(30))));
  }

  /** {@link ApiKeys} over {@link #table} with {@link #config}. */
  private ApiKeys keys() {
    ApiKeys keys = new ApiKeys();
    keys.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    keys.cacheTtl = Duration.ZERO;
    keys.rows =
        new ApiKeyRows() {
          @Override
          public Optional<ApiKeyEntity> load(String id) {
            return Optional.ofNullable(table.get(id));
          }

          @Override
          public void markUsed(String id, Instant now) {}
        };
    keys.devRegistry =
        new DevRegistry(
            () -> new Settings(k -> Optional.ofNullable(config.get(k)), config.keySet()));
    return keys;
  }

  @Test
  void theDevelopmentKeyWorksInDevelopmentModeWithTheRegistryOn() {
    config.put(DevelopmentMode.KEY, "true");
    config.put(DevRegistry.ENABLED, "true");
    Identity dev = keys().authenticate(DEV_KEY);
    assertThat(dev.principal()).isEqualTo("dev-user");
    assertThat(dev.roles()).containsExactly(Role.AI_USER);
  }

  @Test
  void theStoredDevelopmentKeyIsRefusedWithoutDevelopmentModeOrWithoutTheRegistry() {
    // the registry switch alone (development mode off): its row is there, but it is refused
    config.put(DevRegistry.ENABLED, "true");
    assertThatThrownBy(() -> keys().authenticate(DEV_KEY))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessage("Incorrect, revoked or expired API key provided");
    assertThat(keys().authenticate(OTHER_KEY).principal()).isEqualTo("svc-reports");

    // development mode with the registry off (mvn -Prun -Dwarden.run.dev-registry=false)
    config.put(DevRegistry.ENABLED, "false");
    config.put(DevelopmentMode.KEY, "true");
    assertThatThrownBy(() -> keys().authenticate(DEV_KEY))
        .isInstanceOf(AuthenticationFailedException.class)
        .extracting(e -> ((AuthenticationFailedException) e).code())
        .isEqualTo("invalid_api_key");
    assertThat(keys().authenticate(OTHER_KEY).principal()).isEqualTo("svc-reports");

    // neither
    config.clear();
    assertThatThrownBy(() -> keys().authenticate(DEV_KEY))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void anotherServersRevocationDropsTheKeyFromThisServersCacheWhenItsInvalidationArrives() {
    ApiKeys keys = keys();
    keys.cacheTtl = Duration.ofHours(1);
    assertThat(keys.authenticate(OTHER_KEY).principal()).isEqualTo("svc-reports");
    // another server revokes it in the database: this one still holds it
    table.get("abcdefghijkm").revoke("dev-admin", NOW);
    assertThat(keys.authenticate(OTHER_KEY).principal()).isEqualTo("svc-reports");
    keys.onInvalidation(new Invalidation("subject-key", "abcdefghijkm"));
    keys.onInvalidation(new Invalidation(ApiKeys.TOPIC, "otherkeyid01"));
    assertThat(keys.authenticate(OTHER_KEY).principal()).isEqualTo("svc-reports");

    keys.onInvalidation(new Invalidation(ApiKeys.TOPIC, "abcdefghijkm"));
    assertThatThrownBy(() -> keys.authenticate(OTHER_KEY))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void anInvalidationOfEverythingEmptiesTheCache() {
    ApiKeys keys = keys();
    keys.cacheTtl = Duration.ofHours(1);
    assertThat(keys.authenticate(OTHER_KEY).principal()).isEqualTo("svc-reports");
    table.get("abcdefghijkm").revoke("dev-admin", NOW);
    keys.onInvalidation(Invalidation.EVERYTHING);
    assertThatThrownBy(() -> keys.authenticate(OTHER_KEY))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void theIdIsReadFromAWellFormedKeyOnly() {
    assertThat(ApiKeys.idOf("wk_abcdefghijkm_secret_with_underscores")).isEqualTo("abcdefghijkm");
    assertThat(ApiKeys.idOf("wk_devuserkey01_devsecret-devsecret-devsecret-01"))
        .isEqualTo(ApiKeys.DEV_KEY_ID);
    assertThat(ApiKeys.idOf("wk_short_secret")).isNull();
    assertThat(ApiKeys.idOf("sk-proj-abcdefghijklmnop")).isNull();
    assertThat(ApiKeys.idOf("wk_abcdefghijkm")).isNull();
    assertThat(ApiKeys.idOf(null)).isNull();
  }

  @Test
  void onlyAHashOfTheSecretIsKept() {
    String hash = ApiKeys.hash("the-secret");
    assertThat(hash).hasSize(64).doesNotContain("the-secret").isEqualTo(ApiKeys.hash("the-secret"));
    assertThat(ApiKeys.hash("the-secreT")).isNotEqualTo(hash);
  }

  @Test
  void aScopeWithoutModelsAllowsEveryModel() {
    assertThat(KeyScope.NONE.allows("gpt-4o")).isTrue();
    KeyScope scoped = new KeyScope(Set.of("gpt-4o-mini"), null, null, null, null);
    assertThat(scoped.allows("gpt-4o-mini")).isTrue();
    assertThat(scoped.allows("gpt-4o")).isFalse();
    // operations without a model (retrieving a stored response) are not model-scoped
    assertThat(scoped.allows(null)).isTrue();
  }
}
