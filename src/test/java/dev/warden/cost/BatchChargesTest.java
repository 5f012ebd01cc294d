package dev.warden.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warden.call.refusal.BatchLineRefusal;
import dev.warden.call.refusal.ModelNotAllowedRefusal;
import dev.warden.openai.stream.TokenUsage;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

/** What a batch object's usage settles, and how a refused line of a batch file is named. */
class BatchChargesTest {

  @Test
  void aBatchsUsageIsReadWithItsDetails() {
    JsonValue usage =
        Json.createObjectBuilder()
            .add("input_tokens", 120)
            .add("input_tokens_details", Json.createObjectBuilder().add("cached_tokens", 20))
            .add("output_tokens", 45)
            .add("output_tokens_details", Json.createObjectBuilder().add("reasoning_tokens", 5))
            .add("total_tokens", 165)
            .build();
    assertEquals(new TokenUsage(120, 20, 45, 5), BatchCharges.usage(usage));
  }

  @Test
  void aBatchWithoutUsageSettlesNothing() {
    assertEquals(TokenUsage.NONE, BatchCharges.usage(null));
    assertEquals(TokenUsage.NONE, BatchCharges.usage(JsonValue.NULL));
    assertEquals(
        new TokenUsage(7, 0, 0, 0),
        BatchCharges.usage(Json.createObjectBuilder().add("input_tokens", 7).build()));
  }

  @Test
  void aRefusedLineKeepsTheCallsStatusAndCodeAndNamesTheLine() {
    BatchLineRefusal scoped = new BatchLineRefusal(3, new ModelNotAllowedRefusal("gpt-4o"));
    assertEquals(403, scoped.status());
    assertEquals("model_not_allowed", scoped.code());
    assertEquals("model", scoped.param());
    assertEquals(
        "Line 3: This API key is not allowed to use the model gpt-4o", scoped.getMessage());
    assertEquals(3, scoped.line());

    BatchLineRefusal form = new BatchLineRefusal(2, "method must be POST", "method");
    assertEquals(400, form.status());
    assertEquals(BatchLineRefusal.CODE, form.code());
    assertEquals("Line 2: method must be POST", form.getMessage());
  }
}
