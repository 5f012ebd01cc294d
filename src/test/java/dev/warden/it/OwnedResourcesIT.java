package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.DeferredCall;
import dev.warden.ai.conversation.Conversation;
import dev.warden.ai.conversation.Conversations;
import dev.warden.ai.job.Job;
import dev.warden.ai.job.Jobs;
import dev.warden.call.Caller;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/conversations} and {@code /api/jobs} in the authorization matrix: an {@code ai-user}
 * sees its own conversations and jobs (started here as the application would, owned by the
 * principal), another user gets 404 for them (not 403: ids cannot be probed) and never sees them in
 * its lists, auditors and admins are refused. In the container (to start conversations and jobs),
 * calling the server over HTTP as a client would.
 */
class OwnedResourcesIT extends WardenIntegrationTest {

  static final String DEV_USER_2 = TestCredentials.basic("dev-user-2", "dev-user-2");

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject Conversations conversations;
  @Inject Jobs jobs;

  @Test
  void aUserSeesItsOwnConversationsAndAnotherUsersAre404() throws Exception {
    Conversation mine = conversations.start("dev-user", "gpt-4o-mini");
    Conversation second = conversations.start("dev-user", "gpt-4.1-nano");
    Conversation theirs = conversations.start("dev-user-2", "gpt-4o-mini");

    JsonObject one = ok(get("api/conversations/" + mine.id(), TestCredentials.DEV_USER));
    assertEquals(mine.id(), one.getString("id"));
    assertEquals("gpt-4o-mini", one.getString("model"));
    assertEquals(0, one.getInt("turns"));
    assertTrue(one.isNull("last_response_id"));

    List<String> listed = ids(ok(get("api/conversations?limit=500", TestCredentials.DEV_USER)));
    assertTrue(listed.containsAll(List.of(mine.id(), second.id())), listed.toString());
    assertFalse(listed.contains(theirs.id()), "another user's conversation is listed");
    // newest first: the second one was updated last
    assertTrue(listed.indexOf(second.id()) < listed.indexOf(mine.id()), listed.toString());

    JsonObject page = ok(get("api/conversations?limit=1", TestCredentials.DEV_USER));
    assertEquals(1, page.getJsonArray("data").size());
    assertTrue(page.getBoolean("has_more"));
    assertEquals(1, page.getInt("next_offset"));

    assertNotFound(get("api/conversations/" + mine.id(), DEV_USER_2));
    assertNotFound(get("api/conversations/conv_nosuchconversation", DEV_USER_2));
    assertFalse(
        ids(ok(get("api/conversations?limit=500", DEV_USER_2))).contains(mine.id()),
        "dev-user-2 lists dev-user's conversation");

    assertForbidden(get("api/conversations", TestCredentials.DEV_AUDITOR));
    assertForbidden(get("api/conversations/" + mine.id(), TestCredentials.DEV_ADMIN));
  }

  @Test
  void anAdminReachesAnotherUsersConversationsThroughAKeyOnlyWithKeyDelegate() throws Exception {
    TestJwts jwts = TestJwts.install();
    Conversation theirs = conversations.start("dev-user", "gpt-4o-mini");
    JsonObject spec =
        jakarta.json.Json.createObjectBuilder()
            .add("owner", "dev-user")
            .add("name", "mint")
            .build();

    // a key acts as its owner: an admin alone may not mint one for dev-user
    HttpResponse<String> refused =
        http().send("POST", "api/keys", jwts.bearer("ops@acme", "default", "warden-admins"), spec);
    assertForbidden(refused);
    assertTrue(
        refused
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"));
    assertTrue(refused.body().contains("key-delegate"), refused.body());

    // with key-delegate it may, and the key then reads dev-user's conversation
    HttpResponse<String> minted =
        http()
            .send(
                "POST",
                "api/keys",
                jwts.bearer("ops@acme", "default", "warden-admins", "warden-key-delegates"),
                spec);
    assertEquals(201, minted.statusCode(), minted.body());
    String key = "Bearer " + WardenHttp.json(minted).getString("key");
    assertEquals(theirs.id(), ok(get("api/conversations/" + theirs.id(), key)).getString("id"));
  }

  @Test
  void aUserSeesItsOwnJobsAndAnotherUsersAre404() throws Exception {
    Job job = jobs.submit("dev-user", "gpt-4o-mini", "Summarise the minutes");

    JsonObject one = ok(get("api/jobs/" + job.id(), TestCredentials.DEV_USER));
    assertEquals(job.id(), one.getString("id"));
    assertEquals("queued", one.getString("status"));
    assertFalse(one.getBoolean("done"));

    for (int i = 0; i < 5 && !jobs.status(job.id(), "dev-user").done(); i++) {
      jobs.poll();
    }
    JsonObject done = ok(get("api/jobs/" + job.id(), TestCredentials.DEV_USER));
    assertEquals("completed", done.getString("status"));
    assertTrue(done.getBoolean("done"));
    assertTrue(done.getJsonNumber("output_tokens").longValue() > 0, done.toString());

    assertTrue(ids(ok(get("api/jobs?limit=500", TestCredentials.DEV_USER))).contains(job.id()));
    assertNotFound(get("api/jobs/" + job.id(), DEV_USER_2));
    assertNotFound(get("api/jobs/job_nosuchjob", DEV_USER_2));
    assertFalse(ids(ok(get("api/jobs?limit=500", DEV_USER_2))).contains(job.id()));

    assertForbidden(get("api/jobs", TestCredentials.DEV_AUDITOR));
    assertForbidden(get("api/jobs/" + job.id(), TestCredentials.DEV_ADMIN));
    assertEquals(400, get("api/jobs?limit=0", TestCredentials.DEV_USER).statusCode());
  }

  @Test
  void aUserSeesItsOwnDeferredCallsAndAnotherUsersAre404() throws Exception {
    DeferredCall d =
        Caller.runAs(
            Caller.of("dev-user"),
            () ->
                openAi.defer(
                    ChatCompletionRequest.builder()
                        .model("gpt-4o-mini")
                        .messages(List.of(ChatMessage.user("Summarise the minutes later")))
                        .build()));
    JsonObject seen = ok(get("api/deferred/" + d.id(), TestCredentials.DEV_USER));
    assertEquals(d.id(), seen.getString("id"));
    assertEquals(d.requestId(), seen.getString("request_id"));
    assertEquals("gpt-4o-mini", seen.getString("model"));
    assertTrue(
        List.of("SUBMITTED", "COMPLETED").contains(seen.getString("status")), seen.toString());
    assertEquals(d.batchId(), seen.getString("batch_id"));

    assertNotFound(get("api/deferred/" + d.id(), DEV_USER_2));
    assertNotFound(get("api/deferred/dfr_nosuchcall", TestCredentials.DEV_USER));
    assertForbidden(get("api/deferred/" + d.id(), TestCredentials.DEV_AUDITOR));
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    return http().get(path, authorization);
  }

  private static JsonObject ok(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return WardenHttp.json(r);
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("data").stream().map(v -> v.asJsonObject().getString("id")).toList();
  }

  private static void assertNotFound(HttpResponse<String> r) {
    assertEquals(404, r.statusCode(), r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
  }

  private static void assertForbidden(HttpResponse<String> r) {
    assertEquals(403, r.statusCode(), r.body());
  }
}
