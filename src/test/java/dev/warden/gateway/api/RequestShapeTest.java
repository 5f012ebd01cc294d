package dev.warden.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.model.ErrorDetail;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestShapeTest {

  private static final RequestShape CHAT = RequestShape.forPath("/v1/chat/completions");
  private static final RequestShape RESPONSES = RequestShape.forPath("/v1/responses");

  private static ErrorDetail check(RequestShape shape, String json) {
    return shape.check(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aWellFormedRequestPasses() {
    assertThat(
            check(
                CHAT,
                "{ \"model\" : \"gpt-4o\", \"messages\": [{\"role\":\"user\",\"content\":\"a }\\\" ]\"}],"
                    + "\"temperature\": 1, \"top_p\": 0.5, \"stop\": [\"x\"], \"n\": null,"
                    + " \"metadata\": {\"k\": \"v\"}, \"stream\": true, \"seed\": -3,"
                    + " \"prediction\": {\"type\": \"content\"}}"))
        .isNull();
  }

  @Test
  void anUnknownFieldIsNamedAsOpenAiNamesIt() {
    ErrorDetail e = check(CHAT, "{\"model\":\"gpt-4o\",\"messages\":[],\"temprature\":1}");
    assertThat(e.message()).isEqualTo("Unrecognized request argument supplied: temprature");
    assertThat(e.param()).isEqualTo("temprature");
    assertThat(e.type()).isEqualTo("invalid_request_error");

    ErrorDetail r = check(RESPONSES, "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"foo\":{\"a\":[1]}}");
    assertThat(r.message()).isEqualTo("Unknown parameter: 'foo'.");
    assertThat(r.code()).isEqualTo("unknown_parameter");
  }

  @Test
  void anEscapedKeyIsDecoded() {
    assertThat(check(CHAT, "{\"mod\\u0065l\":\"gpt-4o\",\"messages\":[]}")).isNull();
    assertThat(check(CHAT, "{\"x\\u0041\":1}").param()).isEqualTo("xA");
  }

  @Test
  void aWrongTypeIsNamed() {
    ErrorDetail e = check(CHAT, "{\"model\":\"gpt-4o\",\"messages\":[],\"temperature\":\"hot\"}");
    assertThat(e.message())
        .isEqualTo("Invalid type for 'temperature': expected a decimal, but got a string instead.");
    assertThat(e.code()).isEqualTo("invalid_type");
    assertThat(check(CHAT, "{\"model\":5}").message())
        .isEqualTo("Invalid type for 'model': expected a string, but got an integer instead.");
    assertThat(check(CHAT, "{\"messages\":\"hello\"}").param()).isEqualTo("messages");
    assertThat(check(CHAT, "{\"max_tokens\":1.5}").message())
        .contains("expected an integer, but got a decimal");
    assertThat(check(CHAT, "{\"stream\":\"true\"}").message()).contains("expected a boolean");
  }

  @Test
  void whatIsNotAnObjectIsLeftToTheParser() {
    assertThat(check(CHAT, "[1,2]")).isNull();
    assertThat(check(CHAT, "not json")).isNull();
    assertThat(check(CHAT, "{\"model\": ")).isNull();
    assertThat(check(CHAT, "{\"model\": \"abc")).isNull();
  }
}
