package dev.warden.ai.conversation;

import dev.warden.ai.Answer;
import dev.warden.ai.OpenAi;
import dev.warden.call.refusal.ContextWindowRefusal;
import dev.warden.openai.error.ContextLengthExceededException;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
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
 * keeps truncating for that conversation; {@code always} truncates from the first turn; {@code
 * summarise}: once the context the last turn left exceeds {@code
 * warden.conversation.summarise-above} tokens, the model is asked for a summary of the turns so far
 * (a call of its own, through the pipeline), and the turn starts a new chain from that summary
 * (overflow is still handled as {@code on-overflow}). Both can be set per model ({@code
 * warden.conversation.model.<model>.truncation}, {@code ...summarise-above}). A single turn too
 * long for the window even when truncated still fails, as {@link ContextLengthExceededException}
 * (the upstream's) or {@link ContextWindowRefusal} (Warden's own count, before any upstream call).
 */
@ApplicationScoped
public class Conversations {

  @Inject OpenAi openAi;
  @Inject ConversationStore store;

  static final String TRUNCATION = "warden.conversation.truncation";
  static final String SUMMARISE_ABOVE = "warden.conversation.summarise-above";
  static final String PER_MODEL = "warden.conversation.model.";

  /** The default of {@code warden.conversation.summarise-above}, in tokens. */
  static final int DEFAULT_SUMMARISE_ABOVE = 32_000;

  /** What the model is asked when a conversation is summarised. */
  static final String SUMMARY_PROMPT =
      "Summarise the conversation so far for yourself, to continue it from the summary alone:"
          + " keep every fact, name, number, decision and open question the user may refer to"
          + " later; leave out pleasantries. Answer with the summary only.";

  /** How the first item of a turn that starts again from a summary introduces it. */
  static final String SUMMARY_HEADING = "Summary of the conversation so far:\n";

  /**
   * How conversations with {@code model} are truncated: {@code
   * warden.conversation.model.<model>.truncation}, else {@code warden.conversation.truncation}:
   * {@code on-overflow} (default), {@code always} or {@code summarise}.
   */
  static String truncation(String model) {
    Config config = ConfigProvider.getConfig();
    return config
        .getOptionalValue(PER_MODEL + model + ".truncation", String.class)
        .or(() -> config.getOptionalValue(TRUNCATION, String.class))
        .orElse("on-overflow");
  }

  /**
   * Above how many tokens of context a conversation with {@code model} is summarised ({@code
   * summarise} only): {@code warden.conversation.model.<model>.summarise-above}, else {@code
   * warden.conversation.summarise-above}, default {@value #DEFAULT_SUMMARISE_ABOVE}.
   */
  static int summariseAbove(String model) {
    Config config = ConfigProvider.getConfig();
    return config
        .getOptionalValue(PER_MODEL + model + ".summarise-above", Integer.class)
        .or(() -> config.getOptionalValue(SUMMARISE_ABOVE, Integer.class))
        .orElse(DEFAULT_SUMMARISE_ABOVE);
  }

  /** Starts a conversation owned by {@code owner}. */
  public Conversation start(String owner, String model) {
    require(owner, "owner");
    require(model, "model");
    return store.create(owner, model, "always".equals(truncation(model)));
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
    String head = c.lastResponseId();
    Answer<ModelResponse> summary = null;
    if (head != null
        && "summarise".equals(truncation(c.model()))
        && c.contextTokens() > summariseAbove(c.model())) {
      // a call of its own (redacted, audited); the turn then starts a new chain from its text
      summary = openAi.respond(summaryRequest(c));
      head = null;
    }
    String summaryText = summary == null ? null : summary.body().outputText();
    Answer<ModelResponse> answer;
    try {
      answer = openAi.respond(request(c.model(), head, summaryText, text, truncating));
    } catch (ContextLengthExceededException | ContextWindowRefusal e) {
      if (truncating) {
        throw e;
      }
      truncating = true;
      answer = openAi.respond(request(c.model(), head, summaryText, text, true));
    }
    ModelResponse response = answer.body();
    try {
      if (!store.advance(
          c.id(),
          c.lastResponseId(),
          response.id(),
          truncating,
          contextOf(response),
          summary != null)) {
        throw new ConcurrentTurnException(id);
      }
    } catch (TransactionalException e) {
      throw new ConcurrentTurnException(id);
    }
    return new Turn(
        response.outputText(),
        response.id(),
        c.turns() + 1,
        truncating,
        answer.requestId(),
        summary == null ? null : summary.requestId());
  }

  /** Forgets the conversation (the upstream's stored responses expire on their own). */
  public void delete(String id, String owner) {
    if (!store.delete(id, owner)) {
      throw new NoSuchConversationException(id);
    }
  }

  /**
   * The turn: {@code text} continuing the chain at {@code head}, or, after a summary, a new chain
   * whose first item is the summary (so the turn's audit record holds it, encrypted like any
   * request).
   */
  private static CreateResponseRequest request(
      String model, String head, String summary, String text, boolean truncate) {
    ResponseInput input =
        summary == null
            ? ResponseInput.of(text)
            : ResponseInput.of(
                ResponseItem.message("developer", SUMMARY_HEADING + summary),
                ResponseItem.message("user", text));
    return CreateResponseRequest.builder()
        .model(model)
        .input(input)
        .previousResponseId(head)
        .store(true)
        .truncation(truncate ? "auto" : null)
        .build();
  }

  /** The summary call: the stored chain so far, asked for a summary (not stored itself). */
  private static CreateResponseRequest summaryRequest(Conversation c) {
    return CreateResponseRequest.builder()
        .model(c.model())
        .input(ResponseInput.of(SUMMARY_PROMPT))
        .previousResponseId(c.lastResponseId())
        .store(false)
        .truncation(c.truncating() ? "auto" : null)
        .build();
  }

  /** The context a turn leaves: what the model read plus what it wrote. */
  private static int contextOf(ModelResponse response) {
    ResponseUsage usage = response.usage();
    if (usage == null) {
      return 0;
    }
    long tokens =
        (usage.inputTokens() == null ? 0L : usage.inputTokens())
            + (usage.outputTokens() == null ? 0L : usage.outputTokens());
    return (int) Math.min(Integer.MAX_VALUE, tokens);
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
