package dev.warden.ai.conversation;

import dev.warden.ai.Answer;
import dev.warden.ai.OpenAi;
import dev.warden.call.refusal.ContextWindowRefusal;
import dev.warden.openai.error.ContextLengthExceededException;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Multi-turn conversations on the Responses API for the users of an application:
 *
 * <pre>{@code
 * @Inject Conversations conversations;
 * Conversation c = conversations.start(user, "gpt-4o-mini");
 * conversations.say(c.id(), user, "My order o-1 arrived broken.");
 * conversations.say(c.id(), user, "What did I say was wrong with it?");   // uses the stored turns
 * }</pre>
 *
 * Each turn is sent with {@code store: true} and {@code previous_response_id} = the conversation's
 * last response, kept in the database ({@code warden_conversation}) with its owner; only the owner
 * (the principal the application passes, for example {@code SecurityContext.getCallerPrincipal()
 * .getName()}) can continue, read or delete it. Every turn goes through the one pipeline (redaction
 * with the conversation's placeholder vault, audit).
 *
 * <p>Long conversations ({@code warden.conversation.truncation}): {@code on-overflow} (default)
 * keeps the whole context until the upstream answers {@code context_length_exceeded}, then sends
 * the turn again with {@code truncation: "auto"} (the upstream drops the oldest turns to fit) and
 * keeps truncating for that conversation; {@code always} truncates from the first turn. A single
 * turn too long for the window even when truncated still fails, as {@link
 * ContextLengthExceededException} (the upstream's) or {@link ContextWindowRefusal} (Warden's own
 * count, before any upstream call).
 */
@ApplicationScoped
public class Conversations {

  @Inject OpenAi openAi;
  @Inject ConversationStore store;

  /** {@code warden.conversation.truncation}: {@code on-overflow} (default) or {@code always}. */
  static String truncation() {
    return ConfigProvider.getConfig()
        .getOptionalValue("warden.conversation.truncation", String.class)
        .orElse("on-overflow");
  }

  /** Starts a conversation owned by {@code owner}. */
  public Conversation start(String owner, String model) {
    require(owner, "owner");
    require(model, "model");
    return store.create(owner, model, "always".equals(truncation()));
  }

  /** The conversation, if {@code owner} owns it. */
  public Optional<Conversation> find(String id, String owner) {
    return store.find(id, owner);
  }

  /** {@code owner}'s conversations, most recent first. */
  public List<Conversation> list(String owner) {
    return store.ofOwner(owner);
  }

  /** {@code owner}'s conversations, most recent first, {@code limit} from {@code offset}. */
  public List<Conversation> list(String owner, int offset, int limit) {
    return store.ofOwner(owner, offset, limit);
  }

  /**
   * Sends {@code text} as the next turn and returns the answer.
   *
   * @throws NoSuchConversationException when {@code owner} owns no conversation {@code id}
   * @throws ConcurrentTurnException when another turn of it was answered meanwhile
   */
  public Turn say(String id, String owner, String text) {
    require(text, "text");
    Conversation c = store.find(id, owner).orElseThrow(() -> new NoSuchConversationException(id));
    boolean truncating = c.truncating();
    Answer<ModelResponse> answer;
    try {
      answer = openAi.respond(request(c, text, truncating));
    } catch (ContextLengthExceededException | ContextWindowRefusal e) {
      if (truncating) {
        throw e;
      }
      truncating = true;
      answer = openAi.respond(request(c, text, true));
    }
    ModelResponse response = answer.body();
    try {
      if (!store.advance(c.id(), c.lastResponseId(), response.id(), truncating)) {
        throw new ConcurrentTurnException(id);
      }
    } catch (TransactionalException e) {
      throw new ConcurrentTurnException(id);
    }
    return new Turn(
        response.outputText(), response.id(), c.turns() + 1, truncating, answer.requestId());
  }

  /** Forgets the conversation (the upstream's stored responses expire on their own). */
  public void delete(String id, String owner) {
    if (!store.delete(id, owner)) {
      throw new NoSuchConversationException(id);
    }
  }

  private static CreateResponseRequest request(Conversation c, String text, boolean truncate) {
    return CreateResponseRequest.builder()
        .model(c.model())
        .input(ResponseInput.of(text))
        .previousResponseId(c.lastResponseId())
        .store(true)
        .truncation(truncate ? "auto" : null)
        .build();
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
