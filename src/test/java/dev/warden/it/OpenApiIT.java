package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /openapi} describes every operation of {@code /v1} and {@code
 * /api}: each one has a summary and a description. An endpoint added without them fails here.
 */
class OpenApiIT extends WardenIntegrationTest {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Test
  void everyOperationOfV1AndApiIsDescribed() throws Exception {
    HttpResponse<String> r =
        http().get("openapi", TestCredentials.DEV_USER, "Accept", "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject document = WardenHttp.json(r);
    assertThat(document.getJsonObject("info").getString("title")).isEqualTo("Warden");
    JsonObject paths = document.getJsonObject("paths");

    List<String> undescribed = new ArrayList<>();
    int operations = 0;
    for (Map.Entry<String, JsonValue> path : paths.entrySet()) {
      if (!path.getKey().startsWith("/v1") && !path.getKey().startsWith("/api")) {
        continue;
      }
      for (Map.Entry<String, JsonValue> op : path.getValue().asJsonObject().entrySet()) {
        if (!METHODS.contains(op.getKey())) {
          continue;
        }
        operations++;
        JsonObject operation = op.getValue().asJsonObject();
        if (operation.getString("summary", "").isBlank()
            || operation.getString("description", "").isBlank()) {
          undescribed.add(op.getKey().toUpperCase() + " " + path.getKey());
        }
      }
    }
    assertThat(paths.keySet()).contains("/v1/chat/completions", "/v1/responses", "/api/usage");
    assertThat(operations).isGreaterThanOrEqualTo(11);
    assertThat(undescribed).as("operations without a summary and a description").isEmpty();
  }
}
