package dev.warden.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * HTTP requests to a Warden server (the Arquillian deployment, or a server a test runs itself), the
 * one HTTP client of the integration tests. Every request names its {@code Authorization} header
 * value ({@link TestCredentials}: Basic or Bearer), or {@code null} to send none; extra headers are
 * name/value pairs. Answers are {@link HttpResponse}s: status, headers and body.
 *
 * <p>Paths are relative to the base URL; a leading {@code /} is allowed ({@code "/v1/models"} and
 * {@code "v1/models"} are the same).
 */
final class WardenHttp {

  static final String JSON = "application/json";

  private final URI base;
  private final HttpClient client;

  /** Requests to {@code base} through {@code client} (its HTTP version, timeouts, ...). */
  WardenHttp(URI base, HttpClient client) {
    String s = base.toString();
    this.base = s.endsWith("/") ? base : URI.create(s + "/");
    this.client = client;
  }

  WardenHttp(URI base) {
    this(base, HttpClient.newHttpClient());
  }

  WardenHttp(URL base) {
    this(toUri(base));
  }

  /** The absolute URI of {@code path}. */
  URI uri(String path) {
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /** A request without a body. */
  HttpRequest.Builder request(String method, String path, String authorization, String... headers) {
    return request(method, path, authorization, null, null, headers);
  }

  /** A request with a body of this content type ({@code body} null: none). */
  HttpRequest.Builder request(
      String method,
      String path,
      String authorization,
      String contentType,
      byte[] body,
      String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request;
  }

  /** Sends a request, reading the answer with {@code body} (lines of a stream, bytes, ...). */
  <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    return client.send(request.build(), body);
  }

  /** Sends a request, the answer's body as text. */
  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A request with a JSON body ({@code body} null: none). */
  HttpResponse<String> send(
      String method, String path, String authorization, JsonValue body, String... headers)
      throws IOException, InterruptedException {
    return send(
        request(
            method,
            path,
            authorization,
            body == null ? null : JSON,
            body == null ? null : bytes(body.toString()),
            headers));
  }

  HttpResponse<String> get(String path, String authorization, String... headers)
      throws IOException, InterruptedException {
    return send(request("GET", path, authorization, headers));
  }

  /** POSTs a JSON document. */
  HttpResponse<String> post(String path, String authorization, JsonValue body, String... headers)
      throws IOException, InterruptedException {
    return send("POST", path, authorization, body, headers);
  }

  /** POSTs text as JSON, as it is (whether it is JSON or not). */
  HttpResponse<String> postJson(String path, String authorization, String json, String... headers)
      throws IOException, InterruptedException {
    return post(path, authorization, JSON, bytes(json), headers);
  }

  /** POSTs these bytes with this content type. */
  HttpResponse<String> post(
      String path, String authorization, String contentType, byte[] body, String... headers)
      throws IOException, InterruptedException {
    return send(request("POST", path, authorization, contentType, body, headers));
  }

  /** POSTs a JSON document asking for an event stream; the answer's body is its lines. */
  HttpResponse<Stream<String>> postForEvents(String path, String authorization, JsonValue body)
      throws IOException, InterruptedException {
    return send(
        request(
            "POST",
            path,
            authorization,
            JSON,
            bytes(body.toString()),
            "Accept",
            "text/event-stream"),
        HttpResponse.BodyHandlers.ofLines());
  }

  /** The answer's body as a JSON object. */
  static JsonObject json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonObject json(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static URI toUri(URL url) {
    try {
      return url.toURI();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(url.toString(), e);
    }
  }
}
