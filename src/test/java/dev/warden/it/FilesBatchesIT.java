package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.cost.BatchCharges;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The Files and Batch APIs through {@code /v1}, over HTTP as an OpenAI SDK uses them: a batch input
 * file is checked line by line and redacted before it reaches the upstream; a batch made of it is
 * reserved on the caller's budgets and settled when it is seen completed; its output comes back
 * restored for its owner only; another principal gets 404 for every file and batch of the owner,
 * and lists only its own. In the container (to see the held reservation), calling over HTTP.
 */
class FilesBatchesIT extends WardenIntegrationTest {

  static final String USER = TestCredentials.DEV_USER;
  static final String OTHER = TestCredentials.basic("dev-user-2", "dev-user-2");
  static final String JANE = "jane.roe@example.com";

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject BatchCharges charges;

  private static String line(String customId, String url, String body) {
    return "{\"custom_id\":\""
        + customId
        + "\",\"method\":\"POST\",\"url\":\""
        + url
        + "\",\"body\":"
        + body
        + "}\n";
  }

  private static String chatBody(String text) {
    return "{\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":50,\"messages\":[{\"role\":\"user\","
        + "\"content\":\""
        + text
        + "\"}]}";
  }

  private HttpResponse<String> upload(String who, String purpose, String filename, String content)
      throws Exception {
    String boundary = "----warden" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + purpose
                + "\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\nContent-Type: application/jsonl\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return http()
        .post("v1/files", who, "multipart/form-data; boundary=" + boundary, body.toByteArray());
  }

  private static JsonObject ok(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  private static void assertNotFound(HttpResponse<String> response) {
    assertEquals(404, response.statusCode(), response.body());
    JsonObject error = json(response).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertFalse(response.body().contains("dev-user"), response.body());
  }

  private static JsonObject error(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return json(response).getJsonObject("error");
  }

  /** The bodies the mock received on {@code path}. */
  private List<String> received(String method, String path) {
    return mock.find(MockAdmin.request(method, path)).stream()
        .map(r -> r.getString("body"))
        .toList();
  }

  private static List<String> ids(JsonObject list) {
    return list.getJsonArray("data").stream().map(v -> v.asJsonObject().getString("id")).toList();
  }

  @Test
  void aBatchGoesUpRedactedAndItsOutputComesBackRestoredForItsOwnerOnly() throws Exception {
    String jsonl =
        line("req-1", CHAT, chatBody("Write to " + JANE))
            + line("req-2", CHAT, chatBody("Say hello"));
    JsonObject file = ok(upload(USER, "batch", "input.jsonl", jsonl));
    String fileId = file.getString("id");
    assertEquals("file", file.getString("object"));
    assertEquals("batch", file.getString("purpose"));

    List<String> uploads = received("POST", "/v1/files");
    assertEquals(1, uploads.size());
    assertTrue(uploads.get(0).contains("Write to <EMAIL_1>"), uploads.get(0));
    assertFalse(uploads.get(0).contains(JANE), "the address left Warden");

    // the input file's content reads back restored for its owner
    HttpResponse<String> input = http().get("v1/files/" + fileId + "/content", USER);
    assertEquals(200, input.statusCode());
    assertTrue(input.body().contains(JANE), input.body());
    assertEquals(fileId, ok(http().get("v1/files/" + fileId, USER)).getString("id"));

    JsonObject created =
        ok(
            http()
                .post(
                    "v1/batches",
                    USER,
                    Json.createObjectBuilder()
                        .add("input_file_id", fileId)
                        .add("endpoint", CHAT)
                        .add("completion_window", "24h")
                        .build()));
    String batchId = created.getString("id");
    assertTrue(charges.pending(batchId), "the batch's worst case is held on the budgets");

    // another principal: 404 exactly like a missing id, before any upstream call
    int upstreamCalls = mock.find(MockAdmin.request("GET", "/v1/batches/" + batchId)).size();
    assertNotFound(http().get("v1/files/" + fileId, OTHER));
    assertNotFound(http().get("v1/files/" + fileId + "/content", OTHER));
    assertNotFound(http().send("DELETE", "v1/files/" + fileId, OTHER, null));
    assertNotFound(http().get("v1/batches/" + batchId, OTHER));
    assertNotFound(http().send("POST", "v1/batches/" + batchId + "/cancel", OTHER, null));
    assertNotFound(
        http()
            .post(
                "v1/batches",
                OTHER,
                Json.createObjectBuilder()
                    .add("input_file_id", fileId)
                    .add("endpoint", CHAT)
                    .add("completion_window", "24h")
                    .build()));
    assertNotFound(http().get("v1/files/file-nosuchfile", USER));
    assertEquals(
        upstreamCalls, mock.find(MockAdmin.request("GET", "/v1/batches/" + batchId)).size());

    JsonObject batch = created;
    for (int i = 0; i < 5 && !"completed".equals(batch.getString("status")); i++) {
      batch = ok(http().get("v1/batches/" + batchId, USER));
    }
    assertEquals("completed", batch.getString("status"));
    assertFalse(charges.pending(batchId), "the batch is settled once seen completed");
    String outputId = batch.getString("output_file_id");

    HttpResponse<String> output = http().get("v1/files/" + outputId + "/content", USER);
    assertEquals(200, output.statusCode(), output.body());
    assertTrue(output.body().contains("Mock answer to: Write to " + JANE), output.body());
    assertFalse(output.body().contains("<EMAIL_"), output.body());
    assertNotFound(http().get("v1/files/" + outputId + "/content", OTHER));

    // lists: each principal sees its own
    List<String> mine = ids(ok(http().get("v1/files", USER)));
    assertTrue(mine.containsAll(List.of(fileId, outputId)), mine.toString());
    assertFalse(ids(ok(http().get("v1/files", OTHER))).contains(fileId));
    assertTrue(ids(ok(http().get("v1/batches", USER))).contains(batchId));
    assertFalse(ids(ok(http().get("v1/batches", OTHER))).contains(batchId));

    // every operation is audited
    String requestId =
        http()
            .get("v1/batches/" + batchId, USER)
            .headers()
            .firstValue("x-request-id")
            .orElseThrow();
    JsonObject audit =
        json(http().get("api/audit?request_id=" + requestId, TestCredentials.DEV_AUDITOR));
    assertEquals(1, audit.getJsonArray("data").size(), audit.toString());
    assertEquals(
        "batches.retrieve", audit.getJsonArray("data").getJsonObject(0).getString("operation"));

    JsonObject deleted = ok(http().send("DELETE", "v1/files/" + fileId, USER, null));
    assertTrue(deleted.getBoolean("deleted"));
    assertNotFound(http().get("v1/files/" + fileId, USER));
  }

  @Test
  void aBadLineIsRefusedNamingItBeforeAnythingIsUploaded() throws Exception {
    String good = line("a", CHAT, chatBody("Hello"));
    JsonObject unknownUrl =
        error(upload(USER, "batch", "b.jsonl", good + line("b", "/v1/audio/speech", "{}")), 400);
    assertTrue(unknownUrl.getString("message").startsWith("Line 2: "), unknownUrl.toString());
    assertEquals("url", unknownUrl.getString("param"));

    JsonObject notJson = error(upload(USER, "batch", "b.jsonl", good + "{nope\n"), 400);
    assertTrue(notJson.getString("message").startsWith("Line 2: "), notJson.toString());

    JsonObject unknownField =
        error(
            upload(
                USER,
                "batch",
                "b.jsonl",
                good
                    + good.replace("\"a\"", "\"c\"")
                    + line(
                        "d",
                        CHAT,
                        chatBody("Hi").replace("\"messages\"", "\"temprature\":1,\"messages\""))),
            400);
    assertTrue(unknownField.getString("message").startsWith("Line 3: "), unknownField.toString());
    assertEquals("body.temprature", unknownField.getString("param"));

    JsonObject duplicateId = error(upload(USER, "batch", "b.jsonl", good + good), 400);
    assertTrue(duplicateId.getString("message").startsWith("Line 2: "), duplicateId.toString());

    JsonObject unknownModel =
        error(
            upload(
                USER,
                "batch",
                "b.jsonl",
                line("x", CHAT, chatBody("Hi").replace("gpt-4o-mini", "gpt-nonexistent"))),
            404);
    assertTrue(unknownModel.getString("message").startsWith("Line 1: "), unknownModel.toString());
    assertEquals("model_not_found", unknownModel.getString("code"));

    JsonObject twoModels =
        error(
            upload(
                USER,
                "batch",
                "b.jsonl",
                good + line("y", CHAT, chatBody("Hi").replace("gpt-4o-mini", "gpt-4.1-nano"))),
            400);
    assertTrue(twoModels.getString("message").startsWith("Line 2: "), twoModels.toString());
    assertEquals("model", twoModels.getString("param"));

    JsonObject purpose = error(upload(USER, "nonsense", "b.jsonl", good), 400);
    assertEquals("purpose", purpose.getString("param"));

    assertEquals(0, mock.count(MockAdmin.request("POST", "/v1/files")));
  }

  @Test
  void aBatchNeedsAnInputFileCheckedThroughV1() throws Exception {
    String fileId =
        ok(upload(
                USER,
                "batch",
                "e.jsonl",
                line(
                    "e",
                    "/v1/embeddings",
                    "{\"model\":\"text-embedding-3-small\",\"input\":\"Mail " + JANE + "\"}")))
            .getString("id");
    assertTrue(received("POST", "/v1/files").get(0).contains("Mail <EMAIL_1>"));
    JsonObject wrongEndpoint =
        error(
            http()
                .post(
                    "v1/batches",
                    USER,
                    Json.createObjectBuilder()
                        .add("input_file_id", fileId)
                        .add("endpoint", CHAT)
                        .add("completion_window", "24h")
                        .build()),
            400);
    assertEquals("endpoint", wrongEndpoint.getString("param"));
    JsonObject unknownField =
        error(
            http()
                .post(
                    "v1/batches",
                    USER,
                    Json.createObjectBuilder()
                        .add("input_file_id", fileId)
                        .add("endpoint", "/v1/embeddings")
                        .add("completion_window", "24h")
                        .add("colour", "blue")
                        .build()),
            400);
    assertEquals("colour", unknownField.getString("param"));
    assertEquals(0, mock.count(MockAdmin.request("POST", "/v1/batches")));
    JsonValue batch =
        ok(http()
                .post(
                    "v1/batches",
                    USER,
                    Json.createObjectBuilder()
                        .add("input_file_id", fileId)
                        .add("endpoint", "/v1/embeddings")
                        .add("completion_window", "24h")
                        .build()))
            .get("id");
    assertNotNull(((JsonString) batch).getString());
  }
}
