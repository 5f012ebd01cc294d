package dev.warden.pii;

import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.RedactionFailedRefusal;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ContentPart;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingInput;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.FunctionCall;
import dev.warden.openai.model.MessageContent;
import dev.warden.openai.model.ResponseContent;
import dev.warden.openai.model.ResponseInput;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.ToolCall;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Redacts everything the model sees in a request and returns a redacted copy plus per-type counts.
 * Immutable and thread-safe; the {@link PlaceholderVault} carries the per-request (or
 * per-conversation) state.
 *
 * <p>Chat Completions: every message's string content and {@code text} parts (and {@code refusal}
 * parts and fields), so {@code tool} messages' results too; assistant {@code tool_calls}' {@code
 * function.arguments} (as JSON: values inside strings are redacted and re-escaped) and {@code
 * custom.input}. Responses: {@code instructions}, a string {@code input}, every input item's text
 * content parts (string content stays a string), {@code function_call} arguments (as JSON), {@code
 * function_call_output} / custom tool outputs (string or content parts), and custom tool call
 * {@code input}. Nothing else changes (model, tools, images, files, metadata, participant names).
 *
 * <p>Fails closed: {@link PiiBlockedRefusal} when a blocked type is present, {@link
 * RedactionFailedRefusal} for any other failure. Neither carries a value.
 */
public final class RequestRedactor {

  private static final Set<String> OPAQUE_KEYS =
      Set.of("type", "id", "call_id", "file_id", "image_url", "file_url", "file_data", "detail");

  private final PiiEngine engine;

  /** A redactor applying {@code engine}. */
  public RequestRedactor(PiiEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** The engine this redactor applies. */
  public PiiEngine engine() {
    return engine;
  }

  /**
   * A redacted copy of a Chat Completions request, for {@code tenant} (nullable).
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal on any other failure
   */
  public Redacted<ChatCompletionRequest> redact(
      ChatCompletionRequest request, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    try {
      if (request.messages() == null) {
        return new Redacted<>(request, counts.snapshot());
      }
      Session s = new Session(tenant, vault, counts);
      List<ChatMessage> messages = new ArrayList<>(request.messages().size());
      for (ChatMessage m : request.messages()) {
        messages.add(m == null ? null : message(m, s));
      }
      return new Redacted<>(request.toBuilder().messages(messages).build(), counts.snapshot());
    } catch (PiiBlockedRefusal | RedactionFailedRefusal e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new RedactionFailedRefusal("Request redaction failed", e);
    }
  }

  /**
   * A redacted copy of a Responses request, for {@code tenant} (nullable).
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal on any other failure
   */
  public Redacted<CreateResponseRequest> redact(
      CreateResponseRequest request, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    try {
      Session s = new Session(tenant, vault, counts);
      CreateResponseRequest.Builder b = request.toBuilder();
      b.instructions(s.text(request.instructions()));
      ResponseInput input = request.input();
      if (input != null) {
        if (input.isString()) {
          b.input(ResponseInput.of(s.text(input.string())));
        } else {
          List<ResponseItem> items = new ArrayList<>(input.items().size());
          for (ResponseItem item : input.items()) {
            items.add(item == null ? null : item(item, s));
          }
          b.input(ResponseInput.of(items));
        }
      }
      return new Redacted<>(b.build(), counts.snapshot());
    } catch (PiiBlockedRefusal | RedactionFailedRefusal e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new RedactionFailedRefusal("Request redaction failed", e);
    }
  }

  /**
   * A redacted copy of an embeddings request: each input text is redacted (with the placeholders of
   * {@code vault}, so equal values embed equally). Input given as token ids is returned unchanged:
   * it cannot be read here, and the pipeline refuses it while redaction is on.
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal on any other failure
   */
  public Redacted<EmbeddingRequest> redact(
      EmbeddingRequest request, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    try {
      EmbeddingInput input = request.input();
      if (input == null || input.isTokens()) {
        return new Redacted<>(request, counts.snapshot());
      }
      List<String> texts = input.texts();
      List<String> redacted = new ArrayList<>(texts.size());
      for (String text : texts) {
        redacted.add(engine.redact(text, tenant, vault, counts));
      }
      EmbeddingInput safe =
          input.isString() ? EmbeddingInput.of(redacted.get(0)) : EmbeddingInput.of(redacted);
      return new Redacted<>(
          new EmbeddingRequest(
              safe,
              request.model(),
              request.dimensions(),
              request.encodingFormat(),
              request.user()),
          counts.snapshot());
    } catch (PiiBlockedRefusal | RedactionFailedRefusal e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new RedactionFailedRefusal("Request redaction failed", e);
    }
  }

  /**
   * A redacted copy of a JSONL file (a batch input file): strict UTF-8, every JSON string value
   * redacted, numbers holding sensitive values turned into strings, line structure kept.
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal when the bytes are not UTF-8, or on any other failure
   */
  public Redacted<byte[]> redactJsonl(byte[] utf8, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    String text = decode(utf8);
    String red = engine.redactJson(text, tenant, vault, counts);
    return new Redacted<>(
        red.equals(text) ? utf8.clone() : red.getBytes(StandardCharsets.UTF_8), counts.snapshot());
  }

  /**
   * A redacted copy of a UTF-8 text file (prose, CSV, ...).
   *
   * @throws PiiBlockedRefusal when a blocked type is present
   * @throws RedactionFailedRefusal when the bytes are not UTF-8, or on any other failure
   */
  public Redacted<byte[]> redactText(byte[] utf8, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    String text = decode(utf8);
    String red = engine.redact(text, tenant, vault, counts);
    return new Redacted<>(
        red.equals(text) ? utf8.clone() : red.getBytes(StandardCharsets.UTF_8), counts.snapshot());
  }

  private static String decode(byte[] utf8) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RedactionFailedRefusal("The file is not valid UTF-8");
    }
  }

  private static ChatMessage message(ChatMessage m, Session s) {
    MessageContent content = m.content();
    if (content != null) {
      if (content.isString()) {
        content = MessageContent.of(s.text(content.string()));
      } else {
        List<ContentPart> parts = new ArrayList<>(content.parts().size());
        for (ContentPart p : content.parts()) {
          parts.add(
              p == null
                  ? null
                  : new ContentPart(
                      p.type(),
                      s.text(p.text()),
                      p.imageUrl(),
                      p.inputAudio(),
                      p.file(),
                      s.text(p.refusal()),
                      p.promptCacheBreakpoint()));
        }
        content = MessageContent.of(parts);
      }
    }
    List<ToolCall> calls = m.toolCalls();
    if (calls != null) {
      List<ToolCall> redacted = new ArrayList<>(calls.size());
      for (ToolCall c : calls) {
        redacted.add(c == null ? null : toolCall(c, s));
      }
      calls = redacted;
    }
    return new ChatMessage(
        m.role(),
        content,
        m.name(),
        calls,
        m.toolCallId(),
        s.text(m.refusal()),
        m.annotations(),
        m.audio());
  }

  private static ToolCall toolCall(ToolCall c, Session s) {
    FunctionCall f = c.function();
    if (f != null) {
      f = new FunctionCall(f.name(), s.json(f.arguments()));
    }
    return new ToolCall(c.id(), c.type(), f, s.stringMember(c.custom(), "input"));
  }

  private static ResponseItem item(ResponseItem i, Session s) {
    List<ResponseContent> content = i.content();
    if (content != null) {
      if (i.contentIsString()) {
        String text = s.text(i.text());
        content = ResponseItem.message(i.role() == null ? "user" : i.role(), text).content();
      } else {
        List<ResponseContent> parts = new ArrayList<>(content.size());
        for (ResponseContent p : content) {
          parts.add(
              p == null
                  ? null
                  : new ResponseContent(
                      p.type(),
                      s.text(p.text()),
                      p.annotations(),
                      p.logprobs(),
                      p.imageUrl(),
                      p.fileId(),
                      p.detail(),
                      s.text(p.refusal()),
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
        s.json(i.arguments()),
        s.value(i.output()),
        i.summary(),
        i.encryptedContent(),
        i.action(),
        i.queries(),
        i.results(),
        i.phase(),
        i.namespace(),
        s.text(i.input()),
        i.caller());
  }

  /** One redaction's state. */
  private final class Session {
    private final String tenant;
    private final PlaceholderVault vault;
    private final Counts counts;

    Session(String tenant, PlaceholderVault vault, Counts counts) {
      this.tenant = tenant;
      this.vault = Objects.requireNonNull(vault, "vault");
      this.counts = counts;
    }

    String text(String text) {
      return text == null ? null : engine.redact(text, tenant, vault, counts);
    }

    String json(String json) {
      return json == null ? null : engine.redactJson(json, tenant, vault, counts);
    }

    /** A JSON value with every string redacted, except identifiers and binary payloads. */
    JsonValue value(JsonValue value) {
      if (value == null) {
        return null;
      }
      switch (value.getValueType()) {
        case STRING:
          String original = ((JsonString) value).getString();
          String red = text(original);
          return red.equals(original) ? value : Json.createValue(red);
        case ARRAY:
          JsonArrayBuilder array = Json.createArrayBuilder();
          for (JsonValue v : value.asJsonArray()) {
            array.add(value(v));
          }
          return array.build();
        case OBJECT:
          JsonObjectBuilder object = Json.createObjectBuilder();
          for (Map.Entry<String, JsonValue> e : value.asJsonObject().entrySet()) {
            object.add(
                e.getKey(), OPAQUE_KEYS.contains(e.getKey()) ? e.getValue() : value(e.getValue()));
          }
          return object.build();
        default:
          return value;
      }
    }

    /** {@code object} with its string member {@code name} redacted as text. */
    JsonObject stringMember(JsonObject object, String name) {
      if (object == null || !(object.get(name) instanceof JsonString)) {
        return object;
      }
      String original = object.getString(name);
      String red = text(original);
      return red.equals(original)
          ? object
          : Json.createObjectBuilder(object).add(name, red).build();
    }
  }
}
