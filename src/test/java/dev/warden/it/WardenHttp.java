package dev.warden.it;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** HTTP requests to the server under test, as {@link TestCredentials#DEV_USER} (client tests). */
final class WardenHttp {

  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  WardenHttp(URL base) {
    this.base = URI.create(base.toString());
  }

  /** POSTs {@code body} with this content type to {@code path} (relative, e.g. "v1/models"). */
  HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Authorization", TestCredentials.DEV_USER)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postJson(String path, String json) throws Exception {
    return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** GETs {@code path} with the given header name/value pairs. */
  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Authorization", TestCredentials.DEV_USER);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
