package dev.warden.cost;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.ContentPart;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.ResponseContent;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.Tool;
import dev.warden.openai.model.ToolCall;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Counts the input tokens of a request before it is sent, with the model's own tokenizer (JTokkit:
 * {@code o200k_base} for the GPT-4o, 4.1, 4.5, 5 and o-series families, {@code cl100k_base} for
 * GPT-4, GPT-3.5 and the embedding models), plus OpenAI's documented framing:
 *
 * <ul>
 *   <li>{@value #PER_MESSAGE} tokens per message (role and separators), {@value #PER_NAME} for a
 *       {@code name}, {@value #REPLY_PRIMING} to prime the reply;
 *   <li>tools: the function name, description and JSON schema as text plus {@value #PER_TOOL} per
 *       tool and {@value #TOOLS_OVERHEAD} once — an upper estimate of OpenAI's hidden rendering;
 *   <li>images: by OpenAI's documented tile or patch formula for the model and detail, from the
 *       size in a {@code data:} URL's header; a remote image (never fetched) or one whose size
 *       cannot be read counts as the most an image can cost there (see {@link ImageTokens}); audio
 *       and files are not counted (the upstream still enforces its own limits).
 * </ul>
 *
 * Special-token text such as {@code <|endoftext|>} in user content is counted as ordinary text.
 * Thread-safe.
 */
public final class TokenCounter {

  static final int PER_MESSAGE = 3;
  static final int PER_NAME = 1;
  static final int REPLY_PRIMING = 3;
  static final int PER_TOOL = 8;
  static final int TOOLS_OVERHEAD = 12;

  // Per instance, not static: the two encodings hold ~45 MB of heap, which must go with the
  // application (the producer makes one instance per deployment). Loaded when first needed.
  private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

  private final ModelCatalog catalog;

  public TokenCounter(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The tokenizer of a model family: {@code cl100k_base} for the older ones, else {@code
   * o200k_base}.
   */
  static String encodingByFamily(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    if (m.startsWith("gpt-4o")
        || m.startsWith("chatgpt-4o")
        || m.startsWith("gpt-4.1")
        || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5")
        || m.startsWith("gpt-oss")
        || m.matches("^o[1-9].*")) {
      return EncodingType.O200K_BASE.getName();
    }
    if (m.startsWith("gpt-4")
        || m.startsWith("gpt-3.5")
        || m.startsWith("text-embedding-")
        || m.startsWith("davinci-002")
        || m.startsWith("babbage-002")) {
      return EncodingType.CL100K_BASE.getName();
    }
    return EncodingType.O200K_BASE.getName();
  }

  static String checkEncoding(String key, String name) {
    if (EncodingType.fromName(name).isEmpty()) {
      throw new IllegalArgumentException(key + " is not a known encoding: " + name);
    }
    return name;
  }

  /**
   * Loads the tokenizer of every current model family ({@code o200k_base}) now, so that the first
   * call need not: it takes about a second, most of a cold first call.
   */
  public void preload() {
    registry.getEncoding(EncodingType.O200K_BASE);
  }

  /** The tokenizer {@code model} uses. */
  public Encoding encodingOf(String model) {
    return registry.getEncoding(EncodingType.fromName(catalog.limits(model).encoding()).get());
  }

  /** The input tokens of a Chat Completions request, framing and tools included. */
  public int count(ChatCompletionRequest request) {
    Encoding enc = encodingOf(request.model());
    int tokens = REPLY_PRIMING;
    for (ChatMessage m : nonNull(request.messages())) {
      if (m == null) {
        continue;
      }
      tokens += PER_MESSAGE + text(enc, m.role());
      if (m.name() != null) {
        tokens += PER_NAME + text(enc, m.name());
      }
      if (m.content() != null) {
        if (m.content().isString()) {
          tokens += text(enc, m.content().string());
        } else {
          for (ContentPart part : nonNull(m.content().parts())) {
            tokens += part(enc, request.model(), part);
          }
        }
      }
      for (ToolCall call : nonNull(m.toolCalls())) {
        if (call != null && call.function() != null) {
          tokens += text(enc, call.function().name()) + text(enc, call.function().arguments());
        }
      }
      tokens += text(enc, m.toolCallId());
    }
    if (!nonNull(request.tools()).isEmpty()) {
      tokens += TOOLS_OVERHEAD;
      for (Tool tool : request.tools()) {
        tokens += PER_TOOL;
        if (tool == null) {
          continue;
        }
        if (tool.function() != null) {
          tokens += text(enc, tool.function().name());
          tokens += text(enc, tool.function().description());
          tokens += json(enc, tool.function().parameters());
        }
        tokens += json(enc, tool.custom());
      }
    }
    if (request.responseFormat() != null && request.responseFormat().jsonSchema() != null) {
      tokens += json(enc, request.responseFormat().jsonSchema().schema());
    }
    return tokens;
  }

  /** The input tokens of a Responses request: instructions, input items and tools. */
  public int count(CreateResponseRequest request) {
    Encoding enc = encodingOf(request.model());
    int tokens = REPLY_PRIMING;
    if (request.instructions() != null) {
      tokens += PER_MESSAGE + text(enc, request.instructions());
    }
    if (request.input() != null) {
      if (request.input().isString()) {
        tokens += PER_MESSAGE + text(enc, request.input().string());
      } else {
        for (ResponseItem item : nonNull(request.input().items())) {
          if (item != null) {
            tokens += item(enc, request.model(), item);
          }
        }
      }
    }
    if (!nonNull(request.tools()).isEmpty()) {
      tokens += TOOLS_OVERHEAD;
      for (JsonObject tool : request.tools()) {
        tokens += PER_TOOL + json(enc, tool);
      }
    }
    if (request.text() != null && request.text().format() != null) {
      tokens += json(enc, request.text().format().schema());
    }
    return tokens;
  }

  /**
   * The tokens of each input of an embeddings request, in order (token arrays count as they are):
   * the model's context window applies to each input on its own.
   */
  public int[] countEach(EmbeddingRequest request) {
    if (request.input() == null) {
      return new int[0];
    }
    if (request.input().isTokens()) {
      jakarta.json.JsonArray array = request.input().json().asJsonArray();
      if (array.get(0) instanceof jakarta.json.JsonNumber) {
        return new int[] {array.size()};
      }
      return array.stream()
          .mapToInt(
              v -> v instanceof jakarta.json.JsonArray ? ((jakarta.json.JsonArray) v).size() : 1)
          .toArray();
    }
    Encoding enc = encodingOf(request.model());
    return request.input().texts().stream().mapToInt(t -> text(enc, t)).toArray();
  }

  /** The input tokens of an embeddings request: its texts (token arrays count as they are). */
  public int count(EmbeddingRequest request) {
    Encoding enc = encodingOf(request.model());
    if (request.input() == null) {
      return 0;
    }
    if (request.input().isTokens()) {
      return request.input().json().toString().split(",").length;
    }
    int tokens = 0;
    for (String text : request.input().texts()) {
      tokens += text(enc, text);
    }
    return tokens;
  }

  private static int item(Encoding enc, String model, ResponseItem item) {
    int tokens = PER_MESSAGE;
    tokens += text(enc, item.role());
    tokens += text(enc, item.name());
    tokens += text(enc, item.arguments());
    tokens += text(enc, item.input());
    tokens += text(enc, item.callId());
    tokens += value(enc, item.output());
    tokens += value(enc, item.summary());
    tokens += text(enc, item.encryptedContent());
    for (ResponseContent c : nonNull(item.content())) {
      if (c == null) {
        continue;
      }
      if (c.imageUrl() != null || "input_image".equals(c.type())) {
        tokens += ImageTokens.of(model, c.imageUrl(), c.detail());
      }
      tokens += text(enc, c.text()) + text(enc, c.refusal());
    }
    return tokens;
  }

  private static int part(Encoding enc, String model, ContentPart part) {
    if (part == null) {
      return 0;
    }
    int tokens = text(enc, part.text()) + text(enc, part.refusal());
    if (part.imageUrl() != null) {
      tokens += ImageTokens.of(model, part.imageUrl().url(), part.imageUrl().detail());
    }
    return tokens;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static int value(Encoding enc, JsonValue value) {
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return 0;
    }
    return value instanceof JsonString
        ? text(enc, ((JsonString) value).getString())
        : text(enc, value.toString());
  }

  private static int json(Encoding enc, JsonValue value) {
    return value == null ? 0 : text(enc, value.toString());
  }

  private static int text(Encoding enc, String text) {
    return text == null || text.isEmpty() ? 0 : enc.countTokensOrdinary(text);
  }
}
