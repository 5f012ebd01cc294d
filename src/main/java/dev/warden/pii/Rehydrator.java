package dev.warden.pii;

import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ContentPart;
import dev.warden.openai.model.FunctionCall;
import dev.warden.openai.model.MessageContent;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseContent;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ResponseItemList;
import dev.warden.openai.model.ToolCall;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Restores the placeholders of one {@link PlaceholderVault} in answers, for the caller. Unknown
 * placeholders, hash tokens and masks stay as they are. Thread-safe.
 *
 * <p>{@link ChatCompletion}: every choice's message text (string or {@code text} parts), refusal,
 * {@code tool_calls[].function.arguments} (a JSON text: restored values are JSON-escaped) and
 * custom tool call {@code input}. {@link ModelResponse}: every output item's text and refusal
 * parts, {@code function_call} arguments (JSON-escaped), custom tool call {@code input}, and string
 * {@code instructions}. Everything else is unchanged.
 */
public final class Rehydrator {

  private final PlaceholderVault vault;

  /** A rehydrator over {@code vault}. */
  public Rehydrator(PlaceholderVault vault) {
    this.vault = Objects.requireNonNull(vault, "vault");
  }

  /** {@code text} with its placeholders restored ({@code null} stays {@code null}). */
  public String text(String text) {
    return restore(text, false);
  }

  /**
   * A JSON text (tool-call arguments) with its placeholders restored and the restored values
   * JSON-escaped, so that the text stays valid JSON.
   */
  public String json(String json) {
    return restore(json, true);
  }

  private String restore(String text, boolean json) {
    if (text == null || text.indexOf('<') < 0 || vault.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    Placeholders.restore(text, 0, text.length(), vault, json, false, out);
    return out.toString();
  }

  /**
   * A response's input items with their placeholders restored (through their JSON form: every
   * string of every item, whatever its type).
   */
  public ResponseItemList rehydrate(ResponseItemList items) {
    if (items == null || vault.isEmpty()) {
      return items;
    }
    String json = SharedJsonb.JSONB.toJson(items);
    String restored = json(json);
    return restored.equals(json)
        ? items
        : SharedJsonb.JSONB.fromJson(restored, ResponseItemList.class);
  }

  /**
   * A UTF-8 JSON or JSONL file (batch results) with its placeholders restored, the values
   * JSON-escaped.
   */
  public byte[] rehydrateJson(byte[] utf8) {
    if (utf8 == null || vault.isEmpty()) {
      return utf8;
    }
    String text = new String(utf8, StandardCharsets.UTF_8);
    String restored = json(text);
    return restored.equals(text) ? utf8 : restored.getBytes(StandardCharsets.UTF_8);
  }

  /** A streaming rehydrator for text deltas. */
  public StreamingRehydrator streamingText() {
    return StreamingRehydrator.text(vault);
  }

  /** A streaming rehydrator for tool-call argument deltas (JSON text). */
  public StreamingRehydrator streamingJson() {
    return StreamingRehydrator.jsonString(vault);
  }

  /** A copy of {@code completion} with placeholders restored. */
  public ChatCompletion rehydrate(ChatCompletion completion) {
    if (completion == null || completion.choices() == null) {
      return completion;
    }
    List<ChatChoice> choices = new ArrayList<>(completion.choices().size());
    for (ChatChoice c : completion.choices()) {
      choices.add(
          c == null || c.message() == null
              ? c
              : new ChatChoice(c.index(), message(c.message()), c.finishReason(), c.logprobs()));
    }
    return new ChatCompletion(
        completion.id(),
        completion.object(),
        completion.created(),
        completion.model(),
        choices,
        completion.usage(),
        completion.serviceTier(),
        completion.systemFingerprint());
  }

  private ChatMessage message(ChatMessage m) {
    MessageContent content = m.content();
    if (content != null) {
      if (content.isString()) {
        content = MessageContent.of(text(content.string()));
      } else {
        List<ContentPart> parts = new ArrayList<>(content.parts().size());
        for (ContentPart p : content.parts()) {
          parts.add(
              p == null
                  ? null
                  : new ContentPart(
                      p.type(),
                      text(p.text()),
                      p.imageUrl(),
                      p.inputAudio(),
                      p.file(),
                      text(p.refusal()),
                      p.promptCacheBreakpoint()));
        }
        content = MessageContent.of(parts);
      }
    }
    List<ToolCall> calls = m.toolCalls();
    if (calls != null) {
      List<ToolCall> restored = new ArrayList<>(calls.size());
      for (ToolCall c : calls) {
        if (c == null) {
          restored.add(null);
          continue;
        }
        FunctionCall f = c.function();
        if (f != null) {
          f = new FunctionCall(f.name(), json(f.arguments()));
        }
        restored.add(new ToolCall(c.id(), c.type(), f, stringMember(c.custom(), "input")));
      }
      calls = restored;
    }
    return new ChatMessage(
        m.role(),
        content,
        m.name(),
        calls,
        m.toolCallId(),
        text(m.refusal()),
        m.annotations(),
        m.audio());
  }

  private JsonObject stringMember(JsonObject object, String name) {
    if (object == null || !(object.get(name) instanceof JsonString)) {
      return object;
    }
    String original = object.getString(name);
    String restored = text(original);
    return restored.equals(original)
        ? object
        : Json.createObjectBuilder(object).add(name, restored).build();
  }

  /** A copy of {@code response} with placeholders restored. */
  public ModelResponse rehydrate(ModelResponse r) {
    if (r == null) {
      return null;
    }
    List<ResponseItem> output = r.output();
    if (output != null) {
      List<ResponseItem> restored = new ArrayList<>(output.size());
      for (ResponseItem i : output) {
        restored.add(i == null ? null : item(i));
      }
      output = restored;
    }
    String instructions = r.instructionsText();
    return new ModelResponse(
        r.id(),
        r.object(),
        r.createdAt(),
        r.status(),
        r.error(),
        r.incompleteDetails(),
        instructions == null ? r.instructions() : Json.createValue(text(instructions)),
        r.model(),
        output,
        r.parallelToolCalls(),
        r.previousResponseId(),
        r.conversation(),
        r.reasoning(),
        r.store(),
        r.background(),
        r.temperature(),
        r.topP(),
        r.text(),
        r.toolChoice(),
        r.tools(),
        r.truncation(),
        r.usage(),
        r.user(),
        r.metadata(),
        r.maxOutputTokens(),
        r.serviceTier(),
        r.promptCacheKey(),
        r.safetyIdentifier(),
        r.completedAt(),
        r.maxToolCalls(),
        r.topLogprobs(),
        r.prompt());
  }

  private ResponseItem item(ResponseItem i) {
    List<ResponseContent> content = i.content();
    if (content != null) {
      if (i.contentIsString()) {
        content =
            ResponseItem.message(i.role() == null ? "assistant" : i.role(), text(i.text()))
                .content();
      } else {
        List<ResponseContent> parts = new ArrayList<>(content.size());
        for (ResponseContent p : content) {
          parts.add(
              p == null
                  ? null
                  : new ResponseContent(
                      p.type(),
                      text(p.text()),
                      p.annotations(),
                      p.logprobs(),
                      p.imageUrl(),
                      p.fileId(),
                      p.detail(),
                      text(p.refusal()),
                      p.fileUrl(),
                      p.fileData(),
                      p.filename(),
                      p.promptCacheBreakpoint()));
        }
        content = parts;
      }
    }
    return new ResponseItem(
        i.type(),
        i.id(),
        i.status(),
        i.role(),
        content,
        i.callId(),
        i.name(),
        json(i.arguments()),
        i.output(),
        i.summary(),
        i.encryptedContent(),
        i.action(),
        i.queries(),
        i.results(),
        i.phase(),
        i.namespace(),
        text(i.input()),
        i.caller());
  }

  @Override
  public String toString() {
    return "Rehydrator[" + vault + "]";
  }
}
