package dev.warden.openai.model;

import static dev.warden.openai.model.RoundTrip.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

/** The test helpers themselves: they must be able to fail. */
class RoundTripHelperTest {

  @Test
  void aDroppedModelledKeyAndAChangedValueAreReported() {
    JsonValue original = json("{\"role\":\"user\",\"name\":\"a\",\"content\":\"x\"}");

    assertThat(
            RoundTrip.differences(
                ChatMessage.class, original, json("{\"role\":\"user\",\"content\":\"x\"}")))
        .containsExactly("$.name: modelled value \"a\" was dropped");
    assertThat(
            RoundTrip.differences(
                ChatMessage.class,
                original,
                json("{\"role\":\"user\",\"name\":\"b\",\"content\":[\"x\"]}")))
        .containsExactly(
            "$.content: expected \"x\" but written [\"x\"]",
            "$.name: expected \"a\" but written \"b\"");
  }

  @Test
  void keysThatTheRecordDoesNotModelMayBeDroppedButNotInvented() {
    JsonValue original = json("{\"role\":\"user\",\"unmodelled\":1}");

    assertThat(RoundTrip.differences(ChatMessage.class, original, json("{\"role\":\"user\"}")))
        .isEmpty();
    assertThat(
            RoundTrip.differences(
                ChatMessage.class, original, json("{\"role\":\"user\",\"name\":\"n\"}")))
        .containsExactly("$.name: written \"n\" but absent in original");
  }

  @Test
  void nestedRecordsAndListsAreComparedByTheirOwnComponents() {
    JsonValue original =
        json(
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"zz\":1}}],\"created\":1.0}");

    assertThat(
            RoundTrip.differences(
                ChatCompletion.class,
                original,
                json(
                    "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\"}}],\"created\":1}")))
        .isEmpty();
    assertThat(
            RoundTrip.differences(
                ChatCompletion.class,
                original,
                json(
                    "{\"choices\":[{\"index\":1,\"message\":{\"role\":\"assistant\"}}],\"created\":1}")))
        .containsExactly("$.choices[0].index: expected 0 but written 1");
  }

  @Test
  void assertRoundTripFailsWhenARecordLosesData() {
    // ToolCall models "function" but FunctionCall has no "extra": fine; an array for a string is
    // not.
    assertThatThrownBy(
            () ->
                RoundTrip.assertRoundTrip(
                    json("{\"role\":\"user\",\"content\":5}"), ChatMessage.class))
        .isInstanceOf(Exception.class);
  }

  @Test
  void lenientJsonCleansIllustrativeBodiesOutsideStringsOnly() {
    String illustrative =
        """
        {"data": [
          {"embedding": [0.1, -0.2, .... (1536 floats total), 0.3,], "text": "a... b, ]"},
          { ... },
        ],}
        """;

    assertThat(OpenApiExamples.lenientJson(illustrative))
        .contains(json("{\"data\":[{\"embedding\":[0.1,-0.2,0.3],\"text\":\"a... b, ]\"},{}]}"));
    assertThat(OpenApiExamples.lenientJson("event: x\ndata: {}\n")).isEmpty();
    assertThat(OpenApiExamples.lenientJson("{\"a\":1}\n\n{\"a\":2}")).isEmpty();
  }

  @Test
  void curlBodiesAreExtracted() {
    assertThat(OpenApiExamples.curlBody("curl https://x \\\n  -d '{\n \"a\": 1\n}'\n"))
        .isEqualTo("{\n \"a\": 1\n}");
    assertThat(OpenApiExamples.curlBody("curl https://x -F purpose=batch")).isNull();
  }
}
