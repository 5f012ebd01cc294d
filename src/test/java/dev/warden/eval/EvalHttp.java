package dev.warden.eval;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/** POSTs JSON to an OpenAI-compatible endpoint with Apache HttpClient 5 (already a dependency). */
final class EvalHttp {

  record Reply(int status, String body) {}

  private static final CloseableHttpClient CLIENT =
      HttpClients.custom()
          .setConnectionManager(
              PoolingHttpClientConnectionManagerBuilder.create()
                  .setDefaultConnectionConfig(
                      ConnectionConfig.custom().setConnectTimeout(10, TimeUnit.SECONDS).build())
                  .build())
          .setDefaultRequestConfig(
              RequestConfig.custom().setResponseTimeout(5, TimeUnit.MINUTES).build())
          .build();

  private final String baseUrl;
  private final String apiKey;

  /**
   * @param baseUrl e.g. {@code http://localhost:9080/v1}
   * @param apiKey the bearer token
   */
  EvalHttp(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.apiKey = apiKey;
  }

  String baseUrl() {
    return baseUrl;
  }

  Reply post(String path, String json) throws IOException {
    HttpPost request = new HttpPost(baseUrl + path);
    request.setHeader("Authorization", "Bearer " + apiKey);
    request.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    return CLIENT.execute(
        request,
        r ->
            new Reply(
                r.getCode(),
                r.getEntity() == null
                    ? ""
                    : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8)));
  }

  /** The first choice's message content of a chat completion ({@code ""} when it is null). */
  static String content(String completion) {
    try (JsonReader r = Json.createReader(new StringReader(completion))) {
      JsonObject message =
          r.readObject().getJsonArray("choices").getJsonObject(0).getJsonObject("message");
      return message.isNull("content") ? "" : message.getString("content");
    }
  }
}
