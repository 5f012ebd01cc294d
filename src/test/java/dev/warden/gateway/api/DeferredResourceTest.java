package dev.warden.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ai.DeferredCall;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.stream.TokenUsage;
import jakarta.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeferredResourceTest {

  @Test
  void theDeferHeaderIsTrueFalseOrRefused() {
    assertThat(DeferredResource.defers(null)).isFalse();
    assertThat(DeferredResource.defers("false")).isFalse();
    assertThat(DeferredResource.defers("true")).isTrue();
    assertThat(DeferredResource.defers("TRUE")).isTrue();
    for (String unclear : new String[] {"", "yes", "1", "later"}) {
      assertThatThrownBy(() -> DeferredResource.defers(unclear))
          .isInstanceOfSatisfying(
              BadRequestException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.param()).isEqualTo("X-Warden-Defer");
              });
    }
  }

  @Test
  void aDeferredCallIsDescribedWithItsEndpoint() {
    DeferredCall d =
        new DeferredCall(
            "dfr_1",
            "wrd_1",
            "text-embedding-3-small",
            DeferredCall.Status.SUBMITTED,
            "batch_1",
            Instant.parse("2026-12-06T10:00:00Z"),
            null,
            null,
            null,
            TokenUsage.NONE,
            null,
            "/v1/embeddings");
    JsonObject body = DeferredResource.json(d);
    assertThat(body.getString("endpoint")).isEqualTo("/v1/embeddings");
    assertThat(body.getString("status")).isEqualTo("SUBMITTED");
    assertThat(body.getBoolean("done")).isFalse();
  }
}
