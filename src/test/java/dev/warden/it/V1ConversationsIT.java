package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.warden.ai.Answer;
import dev.warden.ai.conversation.Conversation;
import dev.warden.ai.conversation.Conversations;
import dev.warden.ai.conversation.Turn;
import dev.warden.call.CallFinished;
import dev.warden.openai.model.ConversationObject;
import dev.warden.openai.model.CreateConversationRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseItemList;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's Conversations API through Warden: over {@code /v1} (called over HTTP from inside
 * Liberty) with redaction in, restoration out and the owner check; through the injected {@code
 * OpenAi}; and the summarising truncation of Warden's own {@link Conversations} (the IT server
 * summarises conversations with gpt-4.1-mini above 40 tokens of context, see the pom).
 */
class V1ConversationsIT extends WardenIntegrationTest {

  static final String OTHER = TestCredentials.basic("dev-user-2", "dev-user-2");
  static final String OWNER = TestCredentials.DEV_USER;
  static final String ADA = "ada.lovelace@example.com";
  static final String BOB = "bob.stone@example.org";

  @Deployment
  static WebArchive deployment() throws Exception {
    return Deployments.wardenWithAssertJ();
  }

  @Inject Conversations conversations;

  @Test
  void aV1ConversationIsRedactedUpstreamRestoredForItsOwnerAndUsableInAResponse() throws Exception {
    Instant start = Instant.now().minusSeconds(2);
    HttpResponse<String> created =
        http()
            .send(
                "POST",
                "v1/conversations",
                OWNER,
                Json.createObjectBuilder()
                    .add("metadata", Json.createObjectBuilder().add("contact", ADA))
                    .add(
                        "items",
                        Json.createArrayBuilder()
                            .add(userMessage("Hello, my email address is " + ADA + ".")))
                    .build());
    JsonObject conversation = ok(created);
    String id = conversation.getString("id");
    String createRequestId = created.headers().firstValue("x-request-id").orElseThrow();
    assertThat(id).startsWith("conv_");
    assertThat(conversation.getString("object")).isEqualTo("conversation");
    assertThat(conversation.getJsonObject("metadata").getString("contact")).isEqualTo(ADA);

    // the upstream got placeholders only, in the items and the metadata
    String sent = onlyBody("POST", "/v1/conversations");
    assertThat(sent).doesNotContain(ADA).contains("<EMAIL_1>");

    // the owner reads the items restored
    assertThat(ok(http().get("v1/conversations/" + id + "/items?order=asc", OWNER)).toString())
        .contains(ADA)
        .doesNotContain("<EMAIL_1>");
    assertThat(
            ok(http().get("v1/conversations/" + id, OWNER))
                .getJsonObject("metadata")
                .getString("contact"))
        .isEqualTo(ADA);

    // added items share the conversation's placeholders: the same address is the same placeholder
    mock.reset();
    JsonObject added =
        ok(
            http()
                .send(
                    "POST",
                    "v1/conversations/" + id + "/items",
                    OWNER,
                    Json.createObjectBuilder()
                        .add(
                            "items",
                            Json.createArrayBuilder()
                                .add(userMessage("Write to " + ADA + " and to " + BOB + ".")))
                        .build()));
    assertThat(added.getJsonArray("data")).hasSize(1);
    assertThat(added.toString()).contains(ADA, BOB);
    String addedUpstream = onlyBody("POST", "/v1/conversations/" + id + "/items");
    assertThat(addedUpstream)
        .doesNotContain(ADA, BOB)
        .contains("Write to <EMAIL_1> and to <EMAIL_2>.");
    String itemId = added.getJsonArray("data").getJsonObject(0).getString("id");
    assertThat(ok(http().get("v1/conversations/" + id + "/items/" + itemId, OWNER)).toString())
        .contains(ADA, BOB);

    // a response in the conversation: the upstream reads the conversation, Warden its vault
    mock.reset();
    JsonObject response =
        ok(
            http()
                .send(
                    "POST",
                    "v1/responses",
                    OWNER,
                    Json.createObjectBuilder()
                        .add("model", "gpt-4o-mini")
                        .add("conversation", Json.createObjectBuilder().add("id", id))
                        .add("input", "Please remind " + BOB + " of it.")
                        .build()));
    assertThat(response.getJsonObject("conversation").getString("id")).isEqualTo(id);
    String turn = onlyBody("POST", "/v1/responses");
    assertThat(turn).doesNotContain(BOB).contains("Please remind <EMAIL_2> of it.");
    assertThat(response.toString()).contains(BOB).doesNotContain("<EMAIL_2>");
    JsonObject items = ok(http().get("v1/conversations/" + id + "/items?order=asc", OWNER));
    assertThat(items.getJsonArray("data")).hasSize(4); // 2 items, the turn's input and answer
    assertThat(items.toString())
        .contains("Please remind " + BOB, "Mock answer to: Please remind " + BOB);

    // the audit record of the create holds the request as sent: placeholders, never the address
    String createRecord = recordId(start, "request_id=" + createRequestId);
    String requestContent = auditContent(createRecord);
    assertThat(requestContent).contains("<EMAIL_1>").doesNotContain(ADA);

    // metadata update, item deletion and deletion by the owner
    JsonObject updated =
        ok(
            http()
                .send(
                    "POST",
                    "v1/conversations/" + id,
                    OWNER,
                    Json.createObjectBuilder()
                        .add("metadata", Json.createObjectBuilder().add("contact", BOB))
                        .build()));
    assertThat(updated.getJsonObject("metadata").getString("contact")).isEqualTo(BOB);
    assertThat(lastBody("POST", "/v1/conversations/" + id)).contains("<EMAIL_2>");
    assertThat(
            ok(http().send("DELETE", "v1/conversations/" + id + "/items/" + itemId, OWNER, null))
                .getString("id"))
        .isEqualTo(id);
    assertThat(ok(http().get("v1/conversations/" + id + "/items", OWNER)).getJsonArray("data"))
        .hasSize(3);
    JsonObject deleted = ok(http().send("DELETE", "v1/conversations/" + id, OWNER, null));
    assertThat(deleted.getBoolean("deleted")).isTrue();
    assertThat(http().get("v1/conversations/" + id, OWNER).statusCode()).isEqualTo(404);
  }

  @Test
  void anotherPrincipalGets404OnEveryOperationBeforeAnyUpstreamCallAndIsAudited() throws Exception {
    Instant start = Instant.now().minusSeconds(2);
    String id =
        ok(http()
                .send(
                    "POST",
                    "v1/conversations",
                    OWNER,
                    Json.createObjectBuilder()
                        .add("items", Json.createArrayBuilder().add(userMessage("I am " + ADA)))
                        .build()))
            .getString("id");
    String itemId =
        ok(http().get("v1/conversations/" + id + "/items", OWNER))
            .getJsonArray("data")
            .getJsonObject(0)
            .getString("id");
    JsonObject metadata =
        Json.createObjectBuilder()
            .add("metadata", Json.createObjectBuilder().add("k", "v"))
            .build();
    JsonObject items =
        Json.createObjectBuilder()
            .add("items", Json.createArrayBuilder().add(userMessage("What is my email?")))
            .build();
    mock.reset();

    List<Object[]> operations =
        List.of(
            new Object[] {"GET", "v1/conversations/" + id, null},
            new Object[] {"POST", "v1/conversations/" + id, metadata},
            new Object[] {"DELETE", "v1/conversations/" + id, null},
            new Object[] {"GET", "v1/conversations/" + id + "/items", null},
            new Object[] {"POST", "v1/conversations/" + id + "/items", items},
            new Object[] {"GET", "v1/conversations/" + id + "/items/" + itemId, null},
            new Object[] {"DELETE", "v1/conversations/" + id + "/items/" + itemId, null});
    for (Object[] op : operations) {
      HttpResponse<String> r =
          http().send((String) op[0], (String) op[1], OTHER, (JsonValue) op[2]);
      assertThat(r.statusCode()).as(op[0] + " " + op[1]).isEqualTo(404);
      JsonObject error = WardenHttp.json(r).getJsonObject("error");
      assertThat(error.getString("type")).isEqualTo("invalid_request_error");
      assertThat(error.getString("message"))
          .isEqualTo("No conversation found with id '" + id + "'.");
      assertThat(r.body()).doesNotContain(ADA);
    }
    // an id that does not exist answers the same
    HttpResponse<String> missing = http().get("v1/conversations/conv_doesnotexist", OTHER);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(WardenHttp.json(missing).getJsonObject("error").getString("message"))
        .isEqualTo("No conversation found with id 'conv_doesnotexist'.");

    // nor can another principal respond within it, whichever form names it
    for (JsonValue conversation :
        List.of(Json.createValue(id), Json.createObjectBuilder().add("id", id).build())) {
      HttpResponse<String> r =
          http()
              .send(
                  "POST",
                  "v1/responses",
                  OTHER,
                  Json.createObjectBuilder()
                      .add("model", "gpt-4o-mini")
                      .add("conversation", conversation)
                      .add("input", "What is my email?")
                      .build());
      assertThat(r.statusCode()).as(conversation.toString()).isEqualTo(404);
      assertThat(WardenHttp.json(r).getJsonObject("error").getString("param"))
          .isEqualTo("conversation");
      assertThat(r.body()).doesNotContain(ADA);
    }
    // ... and its stream fails the same way, before any event
    HttpResponse<String> streamed =
        http()
            .send(
                "POST",
                "v1/responses",
                OTHER,
                Json.createObjectBuilder()
                    .add("model", "gpt-4o-mini")
                    .add("conversation", id)
                    .add("stream", true)
                    .add("input", "What is my email?")
                    .build());
    assertThat(streamed.statusCode()).isEqualTo(404);

    assertThat(
            mock.count(
                Json.createObjectBuilder()
                    .add("method", "ANY")
                    .add("urlPathPattern", "/v1/(conversations|responses).*")))
        .isZero();

    // every refusal is in the audit log, as the other principal's failed call
    JsonObject refused =
        search(start, "principal=dev-user-2&operation=conversations.items.list&limit=10");
    assertThat(refused.getJsonArray("data")).isNotEmpty();
    assertThat(refused.getJsonArray("data").getJsonObject(0).getString("outcome"))
        .isNotEqualTo("SUCCEEDED");
    assertThat(
            search(start, "principal=dev-user-2&operation=responses.create&limit=10")
                .getJsonArray("data"))
        .hasSizeGreaterThanOrEqualTo(3);

    // the owner still reaches it
    assertThat(ok(http().get("v1/conversations/" + id, OWNER)).getString("id")).isEqualTo(id);
  }

  @Test
  void unknownFieldsInAConversationBodyAreRefusedBeforeAnyUpstreamCall() throws Exception {
    HttpResponse<String> r =
        http()
            .send(
                "POST",
                "v1/conversations",
                OWNER,
                Json.createObjectBuilder()
                    .add(
                        "items",
                        Json.createArrayBuilder()
                            .add(
                                Json.createObjectBuilder()
                                    .add("role", "user")
                                    .add("content", "hi")
                                    .add("colour", "red")))
                    .build());
    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject error = WardenHttp.json(r).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("unknown_parameter");
    assertThat(error.getString("param")).isEqualTo("items[0].colour");
    assertThat(mock.count(MockAdmin.request("POST", "/v1/conversations"))).isZero();
  }

  @Test
  void theInjectedApiCreatesAddsListsAndRespondsInAConversation() {
    Answer<ConversationObject> created =
        openAi.createConversation(
            CreateConversationRequest.of(
                List.of(ResponseItem.message("user", "My email address is " + ADA + "."))));
    String id = created.body().id();
    assertThat(onlyBody("POST", "/v1/conversations")).doesNotContain(ADA).contains("<EMAIL_1>");

    Answer<ResponseItemList> added =
        openAi.addConversationItems(
            id, List.of(ResponseItem.message("user", "Copy " + BOB + " and " + ADA + ".")));
    assertThat(added.body().data()).hasSize(1);
    assertThat(lastBody("POST", "/v1/conversations/" + id + "/items"))
        .contains("Copy <EMAIL_2> and <EMAIL_1>.");

    Answer<ModelResponse> answer =
        openAi.respondIn(
            id,
            CreateResponseRequest.builder()
                .model("gpt-4o-mini")
                .input(ResponseInput.of("Send the order to " + ADA))
                .build());
    assertThat(answer.body().outputText()).isEqualTo("Mock answer to: Send the order to " + ADA);
    assertThat(lastBody("POST", "/v1/responses"))
        .contains("\"conversation\":\"" + id + "\"", "Send the order to <EMAIL_1>")
        .doesNotContain(ADA);

    ResponseItemList items = openAi.listConversationItems(id, null, 20, "asc").body();
    assertThat(items.data()).hasSize(4);
    assertThat(items.data().get(0).content().get(0).text())
        .isEqualTo("My email address is " + ADA + ".");
    assertThat(items.data().get(3).content().get(0).text())
        .isEqualTo("Mock answer to: Send the order to " + ADA);
    assertThat(openAi.conversationItem(id, items.data().get(1).id()).body().content().get(0).text())
        .isEqualTo("Copy " + BOB + " and " + ADA + ".");
    assertThat(openAi.updateConversation(id, Map.of("topic", BOB)).body().metadata())
        .containsEntry("topic", BOB);
    assertThat(openAi.retrieveConversation(id).body().metadata()).containsEntry("topic", BOB);
    assertThat(openAi.deleteConversationItem(id, items.data().get(1).id()).body().id())
        .isEqualTo(id);
    assertThat(openAi.deleteConversation(id).body().deleted()).isTrue();

    // every operation was a call of the pipeline with its record
    assertThat(callLog.calls())
        .extracting(CallFinished::operation)
        .contains(
            "conversations.create",
            "conversations.items.create",
            "responses.create",
            "conversations.items.list",
            "conversations.items.retrieve",
            "conversations.update",
            "conversations.retrieve",
            "conversations.items.delete",
            "conversations.delete");
  }

  @Test
  void aConversationAboveTheThresholdStartsAgainFromAnAuditedSummary() throws Exception {
    Instant start = Instant.now().minusSeconds(2);
    Conversation c = conversations.start("dev-user", "gpt-4.1-mini");
    Turn first =
        conversations.say(
            c.id(),
            "dev-user",
            "My name is Ada, my email address is "
                + ADA
                + ", and the order o-1 I placed last week arrived with a cracked screen and a"
                + " missing charger, so I would like a replacement sent as soon as possible.");
    assertThat(first.summaryRequestId()).isNull();
    assertThat(conversations.find(c.id(), "dev-user").orElseThrow().contextTokens())
        .isGreaterThan(40);

    // the model's summary names the address by the placeholder of the stored chain
    mock.reset();
    mock.stubTimes(
        1,
        MockAdmin.request("POST", "/v1/responses")
            .add(
                "bodyPatterns",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("matchesJsonPath", "$[?(@.store == false)]"))),
        Json.createObjectBuilder()
            .add("status", 200)
            .add("headers", Json.createObjectBuilder().add("Content-Type", "application/json"))
            .add("body", summaryResponse("Ada (<EMAIL_1>) wants order o-1 replaced.").toString()));

    Turn second = conversations.say(c.id(), "dev-user", "What was wrong with my order?");
    assertThat(second.summaryRequestId()).isNotNull().isNotEqualTo(second.requestId());

    List<JsonObject> calls = bodies("POST", "/v1/responses");
    assertThat(calls).hasSize(2);
    JsonObject summaryCall = calls.get(0);
    assertThat(summaryCall.getString("previous_response_id")).isEqualTo(first.responseId());
    assertThat(summaryCall.getBoolean("store")).isFalse();
    assertThat(summaryCall.getString("input")).startsWith("Summarise the conversation so far");
    JsonObject turnCall = calls.get(1);
    assertThat(turnCall.containsKey("previous_response_id")).as("a new chain").isFalse();
    assertThat(turnCall.getJsonArray("input").getJsonObject(0).getString("role"))
        .isEqualTo("developer");
    assertThat(turnCall.getJsonArray("input").toString())
        .contains("Summary of the conversation so far:", "Ada (<EMAIL_1>) wants order o-1")
        .contains("What was wrong with my order?")
        .doesNotContain(ADA);

    Conversation after = conversations.find(c.id(), "dev-user").orElseThrow();
    assertThat(after.summaries()).isEqualTo(1);
    assertThat(after.lastResponseId()).isEqualTo(second.responseId());
    assertThat(after.turns()).isEqualTo(2);

    // the summary is a call of its own, and the turn's record holds it, encrypted and redacted
    String summaryRecord = recordId(start, "request_id=" + second.summaryRequestId());
    assertThat(summaryRecord).isNotNull();
    String turnRecord = recordId(start, "request_id=" + second.requestId());
    assertThat(auditContent(turnRecord))
        .contains("Summary of the conversation so far:", "Ada (<EMAIL_1>) wants order o-1")
        .doesNotContain(ADA);

    // the new chain is the conversation's: the next turn (again above 40 tokens) summarises it
    mock.reset();
    Turn third = conversations.say(c.id(), "dev-user", "Thanks.");
    assertThat(third.number()).isEqualTo(3);
    assertThat(third.summaryRequestId()).isNotNull();
    assertThat(bodies("POST", "/v1/responses").get(0).getString("previous_response_id"))
        .isEqualTo(second.responseId());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static JsonObjectBuilder userMessage(String text) {
    return Json.createObjectBuilder()
        .add("type", "message")
        .add("role", "user")
        .add("content", text);
  }

  private static JsonObject summaryResponse(String text) {
    return Json.createObjectBuilder()
        .add("id", "resp_summary" + System.nanoTime())
        .add("object", "response")
        .add("created_at", Instant.now().getEpochSecond())
        .add("status", "completed")
        .add("model", "gpt-4.1-mini")
        .add(
            "output",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("id", "msg_summary")
                        .add("type", "message")
                        .add("status", "completed")
                        .add("role", "assistant")
                        .add(
                            "content",
                            Json.createArrayBuilder()
                                .add(
                                    Json.createObjectBuilder()
                                        .add("type", "output_text")
                                        .add("annotations", JsonValue.EMPTY_JSON_ARRAY)
                                        .add("text", text)))))
        .add(
            "usage",
            Json.createObjectBuilder()
                .add("input_tokens", 80)
                .add("output_tokens", 12)
                .add("total_tokens", 92))
        .build();
  }

  private static JsonObject ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return WardenHttp.json(r);
  }

  /** The bodies of the requests to {@code path} since the last reset, oldest first. */
  private List<JsonObject> bodies(String method, String path) {
    List<JsonObject> found = new java.util.ArrayList<>(mock.find(MockAdmin.request(method, path)));
    java.util.Collections.reverse(found); // the journal lists the newest first
    return found.stream()
        .sorted(java.util.Comparator.comparingLong(r -> r.getJsonNumber("loggedDate").longValue()))
        .map(r -> WardenHttp.json(r.getString("body")))
        .toList();
  }

  private String onlyBody(String method, String path) {
    List<JsonObject> found = bodies(method, path);
    assertThat(found).hasSize(1);
    return found.get(0).toString();
  }

  private String lastBody(String method, String path) {
    List<JsonObject> found = bodies(method, path);
    assertThat(found).isNotEmpty();
    return found.get(found.size() - 1).toString();
  }

  private JsonObject search(Instant from, String query) throws Exception {
    String q = query + "&from=" + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8);
    HttpResponse<String> r = http().get("api/audit?" + q, TestCredentials.DEV_AUDITOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return WardenHttp.json(r);
  }

  /** The id of the one audit record the query finds, once it is written. */
  private String recordId(Instant from, String query) {
    JsonObject[] found = new JsonObject[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              found[0] = search(from, query);
              return !found[0].getJsonArray("data").isEmpty();
            });
    return found[0].getJsonArray("data").getJsonObject(0).getString("record_id");
  }

  /** The decrypted request of an audit record, as an auditor reads it. */
  private String auditContent(String recordId) throws Exception {
    HttpResponse<String> r = http().get("api/audit/" + recordId, TestCredentials.DEV_AUDITOR);
    JsonObject record = ok(r);
    return record.getJsonObject("content").getJsonObject("request").toString();
  }
}
