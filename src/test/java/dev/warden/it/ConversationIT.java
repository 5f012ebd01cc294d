package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warden.ai.conversation.Conversation;
import dev.warden.ai.conversation.Conversations;
import dev.warden.ai.conversation.NoSuchConversationException;
import dev.warden.ai.conversation.Turn;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Conversations on the Responses API in the container: a follow-up is answered from the stored
 * previous response, the chain's head is kept in the database per owner, other users cannot see or
 * continue it, and {@code context_length_exceeded} switches the conversation to truncation.
 */
class ConversationIT extends WardenIntegrationTest {

  private static final String RESPONSES = "/v1/responses";

  @Deployment
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @Inject Conversations conversations;

  private List<JsonObject> sent() {
    return mock.find(MockAdmin.request("POST", RESPONSES)).stream()
        .map(r -> Json.createReader(new StringReader(r.getString("body"))).readObject())
        .sorted(
            (a, b) ->
                Boolean.compare(
                    a.containsKey("previous_response_id") && !a.isNull("previous_response_id"),
                    b.containsKey("previous_response_id") && !b.isNull("previous_response_id")))
        .toList();
  }

  @Test
  void aFollowUpIsAnsweredUsingTheStoredPreviousResponse() {
    Conversation c = conversations.start("alice", "gpt-4o-mini");

    Turn first = conversations.say(c.id(), "alice", "My order o-1 arrived broken.");
    Turn second = conversations.say(c.id(), "alice", "What was wrong with it?");

    List<JsonObject> bodies = sent();
    assertEquals(2, bodies.size());
    assertEquals(
        first.responseId(), bodies.get(1).getString("previous_response_id"), bodies.toString());
    assertEquals(1, first.number());
    assertTrue(first.text().startsWith("Mock answer to: My order o-1"), first.text());
    assertEquals("Mock answer to: What was wrong with it? (turn 2)", second.text());
    assertTrue(bodies.get(1).getBoolean("store"));
    Conversation stored = conversations.find(c.id(), "alice").orElseThrow();
    assertEquals(2, stored.turns());
    assertEquals(second.responseId(), stored.lastResponseId());
    assertFalse(stored.truncating());
    assertEquals(c.id(), conversations.list("alice").get(0).id());
  }

  @Test
  void onlyTheOwnerCanSeeContinueOrDeleteAConversation() {
    Conversation c = conversations.start("alice", "gpt-4o-mini");

    assertTrue(conversations.find(c.id(), "bob").isEmpty());
    assertThrows(NoSuchConversationException.class, () -> conversations.say(c.id(), "bob", "Hi"));
    assertThrows(NoSuchConversationException.class, () -> conversations.delete(c.id(), "bob"));
    assertEquals(0, mock.count(MockAdmin.request("POST", RESPONSES)));
    assertTrue(conversations.list("bob").stream().noneMatch(x -> x.id().equals(c.id())));

    conversations.delete(c.id(), "alice");
    assertTrue(conversations.find(c.id(), "alice").isEmpty());
  }

  @Test
  void contextLengthExceededSwitchesTheConversationToTruncation() {
    Conversation c = conversations.start("carol", "gpt-4o-mini");
    Turn first = conversations.say(c.id(), "carol", "A long story begins.");
    mock.reset();
    mock.stubTimes(
        1,
        MockAdmin.request("POST", RESPONSES),
        MockAdmin.error(
            400,
            "invalid_request_error",
            "context_length_exceeded",
            "Your input exceeds the context window of this model."));

    Turn next = conversations.say(c.id(), "carol", "And it goes on.");

    assertTrue(next.truncated());
    assertEquals("Mock answer to: And it goes on. (turn 2)", next.text());
    List<JsonObject> bodies = sent();
    assertEquals(2, bodies.size());
    JsonObject refused =
        bodies.stream().filter(b -> !b.containsKey("truncation")).findFirst().orElseThrow();
    JsonObject truncated =
        bodies.stream().filter(b -> b.containsKey("truncation")).findFirst().orElseThrow();
    assertEquals(first.responseId(), refused.getString("previous_response_id"));
    assertEquals(first.responseId(), truncated.getString("previous_response_id"));
    assertEquals("auto", truncated.getString("truncation"));
    assertTrue(conversations.find(c.id(), "carol").orElseThrow().truncating());

    mock.reset();
    conversations.say(c.id(), "carol", "The end.");
    assertEquals("auto", sent().get(0).getString("truncation"));
  }
}
