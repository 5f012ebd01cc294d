package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A corpus of bad input against {@code /v1}: every request gets a clear 4xx in OpenAI's error
 * format, nothing reaches the upstream, no stack trace or key leaks, the security headers are
 * there, CORS stays closed, and the server is still ready afterwards.
 */
@ExtendWith(ArquillianExtension.class)
class BadInputIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @ArquillianResource URL base;

  private final HttpClient http = HttpClient.newHttpClient();
  private static final MockAdmin MOCK = MockAdmin.forIntegrationTests();

  @AfterAll
  static void clean() {
    MOCK.reset();
  }

  private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
            .header("Authorization", TestCredentials.DEV_USER)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> chat(String json) throws Exception {
    return post("v1/chat/completions", "application/json", json.getBytes(StandardCharsets.UTF_8));
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
    int before = MOCK.count(MockAdmin.request("POST", "/v1/chat/completions"));

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

    assertThat(MOCK.count(MockAdmin.request("POST", "/v1/chat/completions"))).isEqualTo(before);

    // still healthy and still answering
    HttpResponse<String> ready =
        http.send(
            HttpRequest.newBuilder(URI.create(base.toString()).resolve("health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
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
        http.send(
            HttpRequest.newBuilder(URI.create(base.toString()).resolve("v1/models"))
                .header("Authorization", TestCredentials.DEV_USER)
                .header("Origin", "https://evil.example")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> preflight =
        http.send(
            HttpRequest.newBuilder(URI.create(base.toString()).resolve("v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .build(),
            HttpResponse.BodyHandlers.ofString());

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
    HttpResponse<String> ready =
        http.send(
            HttpRequest.newBuilder(URI.create(base.toString()).resolve("health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> live =
        http.send(
            HttpRequest.newBuilder(URI.create(base.toString()).resolve("health/live")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"database\"", "\"upstream\"", "\"circuit\"");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).contains("\"warden\"");
  }
}
