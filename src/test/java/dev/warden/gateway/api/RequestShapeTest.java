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

  @Test
  void anUnknownNestedFieldIsNamedByItsPath() {
    ErrorDetail e =
        check(
            CHAT,
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"user\",\"contnet\":\"x\"}]}");
    assertThat(e.code()).isEqualTo("unknown_parameter");
    assertThat(e.param()).isEqualTo("messages[1].contnet");
    assertThat(e.message()).isEqualTo("Unknown parameter: 'messages[1].contnet'.");

    // inside a union (string or parts) and a part's own record
    assertThat(
            check(
                    CHAT,
                    "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"https://x\",\"detial\":\"low\"}}]}]}")
                .param())
        .isEqualTo("messages[0].content[0].image_url.detial");
    assertThat(
            check(
                    RESPONSES,
                    "{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                        + "\"text\":\"hi\",\"colour\":1}]}]}")
                .param())
        .isEqualTo("input[0].content[0].colour");
    assertThat(check(RESPONSES, "{\"text\":{\"format\":{\"type\":\"text\",\"x\":1}}}").param())
        .isEqualTo("text.format.x");
  }

  @Test
  void rawJsonValuesAreForwardedAsSent() {
    assertThat(
            check(
                CHAT,
                "{\"model\":\"m\",\"messages\":[],\"tools\":[{\"type\":\"function\","
                    + "\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\","
                    + "\"anything\":{\"goes\":[1]}}}}],\"metadata\":{\"free\":\"keys\"},"
                    + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},"
                    + "\"prediction\":{\"type\":\"content\",\"new\":true}}"))
        .isNull();
    assertThat(check(CHAT, "{\"stop\":\"x\",\"tool_choice\":\"auto\"}")).isNull();
  }

  @Test
  void aNestedWrongTypeIsNamedByItsPath() {
    ErrorDetail e = check(CHAT, "{\"messages\":[{\"role\":7,\"content\":\"x\"}]}");
    assertThat(e.code()).isEqualTo("invalid_type");
    assertThat(e.param()).isEqualTo("messages[0].role");
    assertThat(check(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":5}]}").message())
        .isEqualTo(
            "Invalid type for 'messages[0].content': expected a string or an array, but got an"
                + " integer instead.");
    assertThat(check(CHAT, "{\"stop\":[\"a\",3]}").param()).isEqualTo("stop[1]");
  }

  @Test
  void aKeyTwiceInOneObjectIsRefusedAtAnyDepthAndOnAnyPath() {
    ErrorDetail top = check(CHAT, "{\"model\":\"a\",\"messages\":[],\"model\":\"b\"}");
    assertThat(top.code()).isEqualTo("duplicate_key");
    assertThat(top.param()).isEqualTo("model");

    ErrorDetail nested =
        check(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"a\",\"content\":\"b\"}]}");
    assertThat(nested.param()).isEqualTo("messages[0].content");

    // inside raw JSON Warden forwards, and on paths without a bound shape (/api)
    assertThat(check(CHAT, "{\"metadata\":{\"k\":\"1\",\"k\":\"2\"}}").code())
        .isEqualTo("duplicate_key");
    RequestShape api = RequestShape.forPath("/api/keys");
    assertThat(check(api, "{\"a\":{\"b\":1,\"b\":2}}").param()).isEqualTo("a.b");
    assertThat(check(api, "[{\"x\":1},{\"x\":2}]")).isNull();
    // an escaped spelling of the same key is the same key
    assertThat(check(api, "{\"ab\":1,\"a\\u0062\":2}").code()).isEqualTo("duplicate_key");
  }
}
