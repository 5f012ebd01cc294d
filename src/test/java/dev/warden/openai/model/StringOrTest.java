package dev.warden.openai.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.openai.internal.SharedJsonb;
import jakarta.json.bind.JsonbException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every string-or-other union reads and writes back the form it was given. */
class StringOrTest {

  private static Object read(String json, Class<?> type) {
    return SharedJsonb.JSONB.fromJson(json, type);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MessageContent | \"hi\"",
        "MessageContent | [{\"text\":\"hi\",\"type\":\"text\"},null]",
        "ResponseInput | \"hi\"",
        "ResponseInput | [{\"content\":\"hi\",\"role\":\"user\"}]",
        "StopSequences | \"END\"",
        "StopSequences | [\"END\"]",
        "ToolChoice | \"auto\"",
        "ToolChoice | {\"name\":\"f\",\"type\":\"function\"}",
        "EmbeddingInput | \"hi\"",
        "EmbeddingInput | [\"a\",\"b\"]",
        "EmbeddingInput | [[1,2],[3]]",
      })
  void eachFormRoundTrips(String union, String json) throws ClassNotFoundException {
    Class<?> type = Class.forName(StringOr.class.getPackageName() + "." + union);
    Object value = read(json, type);
    assertThat(value).isInstanceOf(StringOr.class);
    assertThat(((StringOr<?>) value).isString()).isEqualTo(json.startsWith("\""));
    assertThat(SharedJsonb.JSONB.toJson(value)).isEqualTo(json);
    assertThat(read(SharedJsonb.JSONB.toJson(value), type)).isEqualTo(value);
  }

  @Test
  void nullReadsAsNullAndAnotherJsonTypeIsAnErrorNamingTheParameter() {
    ChatCompletionRequest request =
        SharedJsonb.JSONB.fromJson(
            "{\"model\":\"m\",\"stop\":null,\"tool_choice\":null}", ChatCompletionRequest.class);
    assertThat(request.stop()).isNull();
    assertThat(request.toolChoice()).isNull();
    assertThatThrownBy(
            () ->
                SharedJsonb.JSONB.fromJson(
                    "{\"model\":\"m\",\"tool_choice\":[1]}", ChatCompletionRequest.class))
        .isInstanceOf(JsonbException.class)
        .hasStackTraceContaining("tool_choice must be a string or an object");
    assertThatThrownBy(() -> read("[1]", StopSequences.class))
        .isInstanceOf(JsonbException.class)
        .hasStackTraceContaining("stop must hold strings only");
    assertThatThrownBy(() -> read("[\"x\"]", MessageContent.class))
        .isInstanceOf(JsonbException.class)
        .hasStackTraceContaining("A content part must be an object");
  }

  @Test
  void valuesOfTheSameFormAreEqualAcrossFactoriesOnly() {
    assertThat(MessageContent.of("a")).isEqualTo(MessageContent.of("a"));
    assertThat(StopSequences.of("a")).isNotEqualTo(StopSequences.of(List.of("a")));
    assertThat(EmbeddingInput.of("a"))
        .isEqualTo(EmbeddingInput.of(jakarta.json.Json.createValue("a")));
    assertThat(ToolChoice.of("auto"))
        .isEqualTo(ToolChoice.AUTO)
        .isNotEqualTo(MessageContent.of("auto"));
    assertThat(ToolChoice.AUTO).hasToString("ToolChoice[auto]");
  }
}
