package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Background jobs and conversations over {@code /api}, as the injected API offers them: submit a
 * job, read its result, cancel it; start a conversation, send turns that carry the earlier ones,
 * delete it. Everything belongs to its principal: another user gets 404, as for a missing id.
 */
class ApiJobsAndConversationsIT extends WardenIntegrationTest {

  private String otherUser;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  /** An API key of another ai-user principal, made by the delegating development admin. */
  @BeforeEach
  void otherUser() throws Exception {
    HttpResponse<String> key =
        http()
            .post(
                "api/keys",
                TestCredentials.DEV_ADMIN,
                Json.createObjectBuilder()
                    .add("name", "jobs-it")
                    .add("owner", "jobs-it-other")
                    .build());
    assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
    otherUser = "Bearer " + WardenHttp.json(key.body()).getString("key");
  }

  private HttpResponse<String> post(String path, String auth, String json) throws Exception {
    return http().postJson(path, auth, json);
  }

  private static JsonObject json(HttpResponse<String> r) {
    return WardenHttp.json(r.body());
  }

  @Test
  void aJobIsSubmittedItsResultReadAndAnotherUserSeesNothing() throws Exception {
    HttpResponse<String> submitted =
        post(
            "api/jobs",
            TestCredentials.DEV_USER,
            "{\"model\":\"gpt-4o-mini\",\"input\":\"Summarise the quarterly report\"}");
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    String id = json(submitted).getString("id");
    assertThat(submitted.headers().firstValue("location")).hasValue("/api/jobs/" + id);
    assertThat(json(submitted).getString("status")).isIn("queued", "in_progress");
    JsonObject sent =
        WardenHttp.json(
            mock.find(MockAdmin.request("POST", "/v1/responses")).get(0).getString("body"));
    assertThat(sent.getBoolean("background")).isTrue();

    // not another user's: 404 like a missing job, for status, result and cancel alike
    assertThat(http().get("api/jobs/" + id, otherUser).statusCode()).isEqualTo(404);
    assertThat(http().get("api/jobs/" + id + "/result", otherUser).statusCode()).isEqualTo(404);
    assertThat(post("api/jobs/" + id + "/cancel", otherUser, "{}").statusCode()).isEqualTo(404);

    // 202 while it runs, then 200 with the text once the upstream has completed it
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () -> http().get("api/jobs/" + id + "/result", TestCredentials.DEV_USER).statusCode(),
            s -> s == 200);
    HttpResponse<String> result =
        http().get("api/jobs/" + id + "/result", TestCredentials.DEV_USER);
    assertThat(json(result).getString("status")).isEqualTo("completed");
    assertThat(json(result).getString("output_text"))
        .isEqualTo("Mock answer to: Summarise the quarterly report");
  }

  @Test
  void aRunningJobIsCancelledAndThenHasNoResult() throws Exception {
    String id =
        json(post(
                "api/jobs",
                TestCredentials.DEV_USER,
                "{\"model\":\"gpt-4o-mini\",\"input\":\"A very long task\"}"))
            .getString("id");

    HttpResponse<String> cancelled =
        post("api/jobs/" + id + "/cancel", TestCredentials.DEV_USER, "{}");
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(json(cancelled).getString("status")).isEqualTo("cancelled");
    assertThat(json(cancelled).getBoolean("done")).isTrue();

    HttpResponse<String> result =
        http().get("api/jobs/" + id + "/result", TestCredentials.DEV_USER);
    assertThat(result.statusCode()).isEqualTo(409);
    assertThat(result.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(result).getString("code")).isEqualTo("job_ended_without_result");
  }

  @Test
  void badJobAndTurnRequestsAreProblemJson() throws Exception {
    HttpResponse<String> noInput = post("api/jobs", TestCredentials.DEV_USER, "{\"model\":\"m\"}");
    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(json(noInput).getString("detail")).contains("input");
    HttpResponse<String> unknown =
        post(
            "api/jobs", TestCredentials.DEV_USER, "{\"model\":\"m\",\"input\":\"x\",\"stream\":1}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).getString("detail")).contains("stream");
    // an auditor may not submit work
    assertThat(
            post("api/jobs", TestCredentials.DEV_AUDITOR, "{\"model\":\"m\",\"input\":\"x\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            post("api/conversations/nope/turns", TestCredentials.DEV_USER, "{\"text\":\"hi\"}")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aConversationCarriesItsTurnsAndBelongsToItsOwner() throws Exception {
    HttpResponse<String> started =
        post("api/conversations", TestCredentials.DEV_USER, "{\"model\":\"gpt-4o-mini\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String id = json(started).getString("id");
    assertThat(started.headers().firstValue("location")).hasValue("/api/conversations/" + id);

    HttpResponse<String> first =
        post(
            "api/conversations/" + id + "/turns", TestCredentials.DEV_USER, "{\"text\":\"Hello\"}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).getInt("number")).isEqualTo(1);
    assertThat(json(first).getString("text")).isEqualTo("Mock answer to: Hello");
    String firstResponse = json(first).getString("response_id");

    HttpResponse<String> second =
        post(
            "api/conversations/" + id + "/turns",
            TestCredentials.DEV_USER,
            "{\"text\":\"And then?\"}");
    assertThat(json(second).getInt("number")).isEqualTo(2);
    // the second turn is sent with the first as context
    var sent = mock.find(MockAdmin.request("POST", "/v1/responses"));
    JsonObject last = WardenHttp.json(sent.get(sent.size() - 1).getString("body"));
    assertThat(last.getString("previous_response_id")).isEqualTo(firstResponse);
    assertThat(
            json(http().get("api/conversations/" + id, TestCredentials.DEV_USER)).getInt("turns"))
        .isEqualTo(2);

    // another user can neither talk in it nor delete it
    assertThat(
            post("api/conversations/" + id + "/turns", otherUser, "{\"text\":\"hi\"}").statusCode())
        .isEqualTo(404);
    assertThat(http().send("DELETE", "api/conversations/" + id, otherUser, null).statusCode())
        .isEqualTo(404);

    assertThat(
            http()
                .send("DELETE", "api/conversations/" + id, TestCredentials.DEV_USER, null)
                .statusCode())
        .isEqualTo(204);
    assertThat(http().get("api/conversations/" + id, TestCredentials.DEV_USER).statusCode())
        .isEqualTo(404);
  }
}
