package dev.warden.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.call.refusal.RateLimitRefusal;
import dev.warden.openai.error.UpstreamRateLimitedException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warden's own 429s keep their status, type and code on /v1 (not "upstream_error"). */
class AdmissionErrorsTest {

  @Test
  void aBudgetRefusalIsA429InsufficientQuotaWithItsOwnCode() {
    var m = OpenAiExceptionMapper.map(new BudgetRefusal("user", "daily"));
    assertThat(m.status()).isEqualTo(429);
    assertThat(m.type()).isEqualTo("insufficient_quota");
    assertThat(m.code()).isEqualTo("budget_exceeded");
    assertThat(m.message()).contains("daily budget of this user");
  }

  @Test
  void aRateLimitRefusalIsA429RateLimitExceeded() {
    RateLimitRefusal e = new RateLimitRefusal("user", "requests", 3, Duration.ofMillis(20_500));
    var m = OpenAiExceptionMapper.map(e);
    assertThat(m.status()).isEqualTo(429);
    assertThat(m.type()).isEqualTo("requests");
    assertThat(m.code()).isEqualTo("rate_limit_exceeded");
    assertThat(m.message()).contains("try again in 21s");
    assertThat(e.retryAfter()).contains(Duration.ofMillis(20_500));
  }

  @Test
  void aTokensPerDayRefusalIsA429RateLimitExceededOnTokens() {
    RateLimitRefusal e =
        new RateLimitRefusal("tenant", "tokens", "day", 1000, Duration.ofHours(21));
    var m = OpenAiExceptionMapper.map(e);
    assertThat(m.status()).isEqualTo(429);
    assertThat(m.type()).isEqualTo("tokens");
    assertThat(m.code()).isEqualTo("rate_limit_exceeded");
    assertThat(m.message()).contains("tokens per day: limit 1000").contains("try again in 75600s");
  }

  @Test
  void aCallPacedBeyondTheLongestWaitIsA429RateLimitExceededWithItsRetryAfter() {
    UpstreamRateLimitedException e =
        new UpstreamRateLimitedException("tokens", Duration.ofMinutes(6));
    var m = OpenAiExceptionMapper.map(e);
    assertThat(m.status()).isEqualTo(429);
    assertThat(m.type()).isEqualTo("tokens");
    assertThat(m.code()).isEqualTo("rate_limit_exceeded");
    assertThat(m.message()).contains("try again in 360s");
    assertThat(e.retryAfter()).contains(Duration.ofMinutes(6));
    assertThat(e.isRetriable()).isFalse();
  }

  @Test
  void csvCellsAreQuotedAndFormulaSafe() {
    assertThat(UsageResource.cell("plain")).isEqualTo("plain");
    assertThat(UsageResource.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(UsageResource.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(UsageResource.cell("=SUM(A1)")).isEqualTo("'=SUM(A1)");
    assertThat(UsageResource.cell(null)).isEmpty();
    assertThat(UsageResource.csv(List.of(), List.of("model")))
        .isEqualTo(
            "model,requests,input_tokens,cached_input_tokens,cached_share,output_tokens,"
                + "reasoning_tokens,cost_usd\r\n");
  }
}
