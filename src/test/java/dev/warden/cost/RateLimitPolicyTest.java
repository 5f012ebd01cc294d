package dev.warden.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitPolicyTest {
  private final List<String> lookedUp = new ArrayList<>();

  private RateLimitPolicy policy(Map<String, String> values) {
    return RateLimitPolicy.from(
        new Settings(
            key -> {
              lookedUp.add(key);
              return Optional.ofNullable(values.get(key));
            },
            values.keySet()));
  }

  @Test
  void aNamesOwnLimitsWinOverTheWildcardAndUnsetMeansNone() {
    RateLimitPolicy p =
        policy(
            Map.of(
                "warden.rate.user.alice.requests-per-minute", "3",
                "warden.rate.user.*.requests-per-minute", "10",
                "warden.rate.user.*.tokens-per-day", "500"));

    assertThat(p.requestsPerMinute("user", "alice")).isEqualTo(3);
    assertThat(p.requestsPerMinute("user", "bob")).isEqualTo(10);
    assertThat(p.tokensPerDay("user", "alice")).isEqualTo(500);
    assertThat(p.tokensPerMinute("user", "alice")).isZero();
    assertThat(p.requestsPerMinute("tenant", "acme")).isZero();
  }

  @Test
  void aTenantsInFlightLimitIsItsOwnElseTheWildcards() {
    RateLimitPolicy p =
        policy(
            Map.of(
                "warden.rate.tenant.acme.in-flight", "2",
                "warden.rate.tenant.*.in-flight", "50"));

    assertThat(p.inFlight("tenant", "acme")).isEqualTo(2);
    assertThat(p.inFlight("tenant", "globex")).isEqualTo(50);
    assertThat(p.inFlight("user", "acme")).isZero();
    assertThat(p.requestsPerMinute("tenant", "acme")).isZero();
  }

  @Test
  void eachNamesLimitsAreReadFromConfigurationOnce() {
    RateLimitPolicy p = policy(Map.of("warden.rate.key.k1.tokens-per-minute", "70"));

    assertThat(p.tokensPerMinute("key", "k1")).isEqualTo(70);
    int afterFirst = lookedUp.size();
    for (int i = 0; i < 100; i++) {
      assertThat(p.requestsPerMinute("key", "k1")).isZero();
      assertThat(p.tokensPerMinute("key", "k1")).isEqualTo(70);
      assertThat(p.tokensPerDay("key", "k1")).isZero();
    }

    assertThat(afterFirst).isPositive();
    assertThat(lookedUp).hasSize(afterFirst);
    p.tokensPerMinute("key", "k2");
    assertThat(lookedUp).hasSizeGreaterThan(afterFirst);
  }
}
