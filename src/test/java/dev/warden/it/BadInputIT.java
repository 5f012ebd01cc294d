package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * A corpus of bad input against {@code /v1}: every request gets a clear 4xx in OpenAI's error
 * format, nothing reaches the upstream, no stack trace or key leaks, the security headers are
 * there, CORS stays closed, and the server is still ready afterwards.
 */
class BadInputIT extends WardenIntegrationTest {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
    return http().post(path, TestCredentials.DEV_USER, contentType, body);
  }

  private HttpResponse<String> chat(String json) throws Exception {
    return http().postJson(CHAT, TestCredentials.DEV_USER, json);
  }

  /** A clear OpenAI error: the status, a message, the code when given, and nothing leaked. */
  private static JsonObject openAiError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body())
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("dev.warden.")
        .doesNotContain("mock-upstream-key");
    JsonObject error =
        Json.createReader(new StringReader(r.body())).readObject().getJsonObject("error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    if (code != null) {
      assertThat(error.getString("code")).isEqualTo(code);
    }
    return error;
  }

  @Test
  void everyBadRequestGetsAClear4xxAndNothingReachesTheUpstream() throws Exception {
    int before = mock.count(MockAdmin.request("POST", "/v1/chat/completions"));

    // malformed JSON
    openAiError(chat("{\"model\": \"gpt-4o-mini\", \"messages\": ["), 400, "invalid_json");
    openAiError(chat("not json at all"), 400, "invalid_json");
    // wrong types
    openAiError(chat("{\"model\": 5, \"messages\": \"hello\"}"), 400, null);
    openAiError(
        chat(
            "{\"model\":\"gpt-4o-mini\",\"temperature\":\"hot\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        400,
        null);
    // missing required fields
    JsonObject missing = openAiError(chat("{\"model\":\"gpt-4o-mini\"}"), 400, null);
    assertThat(missing.getString("param")).isEqualTo("messages");
    // deeply nested JSON
    String deep = "[".repeat(5000) + "]".repeat(5000);
    openAiError(
        chat("{\"model\":\"gpt-4o-mini\",\"messages\":" + deep + "}"), 400, "json_too_deep");
    // a huge body
    byte[] huge = new byte[16 * 1024 * 1024 + 10];
    Arrays.fill(huge, (byte) ' ');
    huge[0] = '{';
    huge[huge.length - 1] = '}';
    openAiError(post("v1/chat/completions", "application/json", huge), 413, "request_too_large");
    // odd encodings
    openAiError(
        post(
            "v1/chat/completions",
            "application/json; charset=UTF-16",
            "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_16)),
        415,
        "unsupported_charset");
    byte[] latin1 =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9\"}]}"
            .getBytes(StandardCharsets.ISO_8859_1);
    openAiError(post("v1/chat/completions", "application/json", latin1), 400, "invalid_encoding");
    // a wrong media type
    assertThat(
            post("v1/chat/completions", "text/plain", "hello".getBytes(StandardCharsets.UTF_8))
                .statusCode())
        .isEqualTo(415);

    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isEqualTo(before);
    stillHealthy();
  }

  private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  /** A JSON body with the given top-level fields after a valid model and message. */
  private static String chatWith(String fields) {
    return "{\"model\":\"gpt-4o-mini\"," + HI + (fields.isEmpty() ? "" : "," + fields) + "}";
  }

  @Test
  void unknownFieldsWrongTypesAndBadValuesAreNamedBeforeAnyUpstreamCall() throws Exception {
    int chats = mock.count(MockAdmin.request("POST", "/v1/chat/completions"));
    int responses = mock.count(MockAdmin.request("POST", "/v1/responses"));
    int embeddings = mock.count(MockAdmin.request("POST", "/v1/embeddings"));

    // unknown fields: OpenAI's wording, the field as param
    JsonObject unknown = openAiError(chat(chatWith("\"temprature\":0.2")), 400, null);
    assertThat(unknown.getString("message"))
        .isEqualTo("Unrecognized request argument supplied: temprature");
    assertThat(unknown.getString("param")).isEqualTo("temprature");
    JsonObject unknownResponses =
        openAiError(
            post(
                "v1/responses",
                "application/json",
                "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"reasoning_effrt\":\"low\"}"
                    .getBytes(StandardCharsets.UTF_8)),
            400,
            "unknown_parameter");
    assertThat(unknownResponses.getString("param")).isEqualTo("reasoning_effrt");
    openAiError(
        post(
            "v1/embeddings",
            "application/json",
            "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\",\"dims\":3}"
                .getBytes(StandardCharsets.UTF_8)),
        400,
        "unknown_parameter");
    // an escaped field name is still a field name
    assertThat(
            openAiError(chat(chatWith("\"\\u0078yz\":1")), 400, "unknown_parameter")
                .getString("param"))
        .isEqualTo("xyz");

    // wrong types, named
    for (String[] wrong :
        new String[][] {
          {"\"temperature\":\"hot\"", "temperature", "a decimal", "a string"},
          {"\"max_tokens\":1.5", "max_tokens", "an integer", "a decimal"},
          {"\"stream\":\"yes\"", "stream", "a boolean", "a string"},
          {"\"n\":[1]", "n", "an integer", "an array"},
          {"\"metadata\":\"x\"", "metadata", "an object", "a string"},
          {"\"tools\":{}", "tools", "an array", "an object"},
        }) {
      JsonObject e = openAiError(chat(chatWith(wrong[0])), 400, "invalid_type");
      assertThat(e.getString("param")).isEqualTo(wrong[1]);
      assertThat(e.getString("message"))
          .isEqualTo(
              "Invalid type for '"
                  + wrong[1]
                  + "': expected "
                  + wrong[2]
                  + ", but got "
                  + wrong[3]
                  + " instead.");
    }

    // values out of range, named
    for (String[] bad :
        new String[][] {
          {"\"temperature\":2.5", "temperature", "decimal_above_max_value"},
          {"\"top_p\":-0.1", "top_p", "decimal_below_min_value"},
          {"\"presence_penalty\":3", "presence_penalty", "decimal_above_max_value"},
          {"\"n\":0", "n", "integer_below_min_value"},
          {"\"top_logprobs\":21", "top_logprobs", "integer_above_max_value"},
          {"\"max_completion_tokens\":0", "max_completion_tokens", "integer_below_min_value"},
          {"\"logit_bias\":{\"50256\":-101}", "logit_bias.50256", "integer_below_min_value"},
        }) {
      JsonObject e = openAiError(chat(chatWith(bad[0])), 400, bad[2]);
      assertThat(e.getString("param")).isEqualTo(bad[1]);
    }
    JsonObject role =
        openAiError(
            chat(
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"boss\",\"content\":\"hi\"}]}"),
            400,
            "invalid_value");
    assertThat(role.getString("param")).isEqualTo("messages[0].role");
    openAiError(
        post(
            "v1/responses",
            "application/json",
            "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"max_output_tokens\":3}"
                .getBytes(StandardCharsets.UTF_8)),
        400,
        "integer_below_min_value");

    // an unknown model: OpenAI's 404, before any upstream call
    HttpResponse<String> unknownModel = chat("{\"model\":\"gpt-imaginary\"," + HI + "}");
    assertThat(unknownModel.statusCode()).isEqualTo(404);
    JsonObject notFound =
        Json.createReader(new StringReader(unknownModel.body()))
            .readObject()
            .getJsonObject("error");
    assertThat(notFound.getString("code")).isEqualTo("model_not_found");
    assertThat(notFound.getString("message"))
        .isEqualTo("The model `gpt-imaginary` does not exist or you do not have access to it.");
    assertThat(notFound.getString("type")).isEqualTo("invalid_request_error");

    // odd encodings: a byte-order mark, an overlong UTF-8 sequence, a lone surrogate, NUL
    byte[] bom = ("\uFEFF" + chatWith("")).getBytes(StandardCharsets.UTF_8);
    assertThat(post("v1/chat/completions", "application/json", bom).statusCode())
        .isBetween(400, 499);
    byte[] overlong = chatWith("").replace("hi", "h#").getBytes(StandardCharsets.UTF_8);
    int hash = indexOf(overlong, (byte) '#');
    byte[] withOverlong = new byte[overlong.length + 1];
    System.arraycopy(overlong, 0, withOverlong, 0, hash);
    withOverlong[hash] = (byte) 0xC0; // overlong encoding of '/'
    withOverlong[hash + 1] = (byte) 0xAF;
    System.arraycopy(overlong, hash + 1, withOverlong, hash + 2, overlong.length - hash - 1);
    openAiError(
        post("v1/chat/completions", "application/json", withOverlong), 400, "invalid_encoding");
    byte[] surrogate = chatWith("").replace("hi", "h#").getBytes(StandardCharsets.UTF_8);
    int at = indexOf(surrogate, (byte) '#');
    byte[] withSurrogate = new byte[surrogate.length + 2];
    System.arraycopy(surrogate, 0, withSurrogate, 0, at);
    withSurrogate[at] = (byte) 0xED; // U+D800 encoded directly: not UTF-8
    withSurrogate[at + 1] = (byte) 0xA0;
    withSurrogate[at + 2] = (byte) 0x80;
    System.arraycopy(surrogate, at + 1, withSurrogate, at + 3, surrogate.length - at - 1);
    openAiError(
        post("v1/chat/completions", "application/json", withSurrogate), 400, "invalid_encoding");
    openAiError(chat("{\"model\":\"gpt-4o-mini\",\u0000" + HI + "}"), 400, "invalid_json");

    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isEqualTo(chats);
    assertThat(mock.count(MockAdmin.request("POST", "/v1/responses"))).isEqualTo(responses);
    assertThat(mock.count(MockAdmin.request("POST", "/v1/embeddings"))).isEqualTo(embeddings);
    stillHealthy();
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void duplicateKeysAndUnknownNestedFieldsAreRefusedBeforeAnyUpstreamCall() throws Exception {
    int before = mock.count(MockAdmin.request("POST", "/v1/chat/completions"));

    JsonObject twice =
        openAiError(
            chat(
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"harmless\",\"content\":\"what is screened is not what is sent\"}]}"),
            400,
            "duplicate_key");
    assertThat(twice.getString("param")).isEqualTo("messages[0].content");
    JsonObject nested =
        openAiError(
            chat(
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"hi\",\"nmae\":\"x\"}]}"),
            400,
            "unknown_parameter");
    assertThat(nested.getString("param")).isEqualTo("messages[0].nmae");
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isEqualTo(before);

    // /api answers problem JSON for the same mistake
    HttpResponse<String> api =
        http()
            .send(
                http()
                    .request(
                        "POST",
                        "api/keys",
                        TestCredentials.DEV_ADMIN,
                        WardenHttp.JSON,
                        "{\"name\":\"a\",\"name\":\"b\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(api.statusCode()).isEqualTo(400);
    assertThat(api.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(WardenHttp.json(api.body()).getString("code")).isEqualTo("duplicate_key");
  }

  @Test
  void containerErrorsAnswerInTheCallersFormat() throws Exception {
    // an encoded slash the container refuses to route
    RawHttp.Response slashV1 = raw("GET /v1/responses/resp_a%2Fb HTTP/1.1", "Accept: */*");
    assertThat(slashV1.status()).isEqualTo(400);
    assertThat(WardenHttp.json(slashV1.body()).getJsonObject("error").getString("type"))
        .isEqualTo("invalid_request_error");
    RawHttp.Response slashApi = raw("GET /api/audit/records/a%2Fb HTTP/1.1", "Accept: */*");
    assertThat(slashApi.status()).isEqualTo(400);
    assertThat(slashApi.header("content-type")).startsWith("application/problem+json");
    assertThat(WardenHttp.json(slashApi.body()).getInt("status")).isEqualTo(400);

    // methods nobody serves
    for (String method : List.of("DELETE", "PUT", "TRACE", "PROPFIND")) {
      RawHttp.Response r =
          raw(
              method + " /v1/chat/completions HTTP/1.1",
              "Authorization: " + TestCredentials.DEV_USER_BEARER);
      assertThat(r.status()).as(method + " " + r.body()).isIn(405, 501);
      assertThat(r.header("content-type")).as(method).startsWith("application/json");
      assertThat(WardenHttp.json(r.body()).getJsonObject("error").getString("code"))
          .isIn("method_not_allowed", "not_implemented");
    }
    RawHttp.Response apiMethod =
        raw("DELETE /api/usage HTTP/1.1", "Authorization: " + TestCredentials.DEV_ADMIN);
    assertThat(apiMethod.status()).isEqualTo(405);
    assertThat(apiMethod.header("content-type")).startsWith("application/problem+json");

    // headers over warden.http.max-header-bytes (16 KiB), below the container's own ceiling
    String big = "X-Padding: " + "p".repeat(20 * 1024);
    RawHttp.Response v1 = raw("GET /v1/models HTTP/1.1", big);
    assertThat(v1.status()).isEqualTo(431);
    assertThat(WardenHttp.json(v1.body()).getJsonObject("error").getString("code"))
        .isEqualTo("request_headers_too_large");
    RawHttp.Response api = raw("GET /api/usage HTTP/1.1", big);
    assertThat(api.status()).isEqualTo(431);
    assertThat(api.header("content-type")).startsWith("application/problem+json");

    // a URI the container cannot decode is refused by Liberty before any application is chosen:
    // 400, JSON for a JSON client, the URI escaped, nothing else
    RawHttp.Response nul = raw("GET /v1/responses/resp_x%00y HTTP/1.1", "Accept: application/json");
    assertThat(nul.status()).isEqualTo(400);
    assertThat(nul.header("content-type")).startsWith("application/json");
    assertThat(nul.body()).doesNotContain("%00").doesNotContain("Exception");
    stillHealthy();
  }

  private RawHttp.Response raw(String requestLine, String... headers) throws Exception {
    try (RawHttp c = new RawHttp(base)) {
      return c.head(requestLine, headers).read();
    }
  }

  private void stillHealthy() throws Exception {
    // still healthy and still answering
    HttpResponse<String> ready = http().get("health/ready", null);
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(
            chat("{\"model\":\"gpt-4o-mini\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void answersCarrySecurityHeadersAndNoCors() throws Exception {
    HttpResponse<String> models =
        http().get("v1/models", TestCredentials.DEV_USER, "Origin", "https://evil.example");
    HttpResponse<String> preflight =
        http()
            .send(
                http()
                    .request(
                        "OPTIONS",
                        CHAT,
                        null,
                        "Origin",
                        "https://evil.example",
                        "Access-Control-Request-Method",
                        "POST"));

    assertThat(models.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(models.headers().firstValue("x-frame-options")).hasValue("DENY");
    assertThat(models.headers().firstValue("content-security-policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
    for (HttpResponse<String> r : List.of(models, preflight)) {
      assertThat(r.headers().map().keySet())
          .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
    }
  }

  @Test
  void readinessReportsTheDatabaseAndTheUpstream() throws Exception {
    HttpResponse<String> ready = http().get("health/ready", null);
    HttpResponse<String> live = http().get("health/live", null);

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"database\"", "\"upstream\"", "\"circuit\"");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).contains("\"warden\"");
  }
}
