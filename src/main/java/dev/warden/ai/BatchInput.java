package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.call.Verdict;
import dev.warden.call.refusal.BatchLineRefusal;
import dev.warden.call.refusal.ModelNotAllowedRefusal;
import dev.warden.config.ConfigProducer;
import dev.warden.config.Jsonp;
import dev.warden.cost.Admission;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.pii.PlaceholderVault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A batch input file uploaded through {@code /v1} ({@code purpose} {@code batch}), checked and
 * redacted line by line before it leaves: each line is one request ({@code custom_id}, {@code
 * method} {@code POST}, {@code url}, {@code body}) to an endpoint Warden governs ({@value #CHAT},
 * {@value #RESPONSES}, {@value #EMBEDDINGS}); its body is validated as the call would be (unknown
 * fields, types, ranges, known models, the context window, the API key's model scope), then
 * redacted and screened by the pipeline's own {@link Protection} into the file's one vault. As at
 * OpenAI, all lines share one url and one model. A refused line refuses the file with {@link
 * BatchLineRefusal}, naming the line.
 */
@ApplicationScoped
public class BatchInput {

  static final String CHAT = "/v1/chat/completions";
  static final String RESPONSES = "/v1/responses";
  static final String EMBEDDINGS = "/v1/embeddings";

  /** The configuration key bounding the requests of one batch input file. */
  public static final String MAX_LINES = "warden.files.max-batch-lines";

  private static final Set<String> LINE_FIELDS = Set.of("custom_id", "method", "url", "body");

  /**
   * Checks the JSON shape of a line or of its body, which only the HTTP layer knows: {@code path}
   * is the endpoint the body is for, or {@code ""} for the whole line (duplicate keys only).
   */
  @FunctionalInterface
  public interface ShapeCheck {
    /** The problem, {@code null} when there is none. */
    ErrorInfo check(String path, byte[] json);

    /** No check beyond binding. */
    ShapeCheck NONE = (path, json) -> null;
  }

  /**
   * The file as it goes upstream, with what admission needs of it.
   *
   * @param content the JSONL with each body redacted
   * @param worstOutputTokens the largest output its requests may produce in all
   */
  record Prepared(
      byte[] content,
      String endpoint,
      String model,
      int lines,
      long inputTokens,
      long worstOutputTokens) {}

  private final Validation validation;
  private final Protection protection;
  private final Admission admission;
  private final ChatKind chat;
  private final ResponsesKind responses;
  private final EmbeddingsKind embeddings;
  private final int maxLines;

  @Inject
  BatchInput(
      Validation validation,
      Protection protection,
      Admission admission,
      ChatKind chat,
      ResponsesKind responses,
      EmbeddingsKind embeddings) {
    this.validation = validation;
    this.protection = protection;
    this.admission = admission;
    this.chat = chat;
    this.responses = responses;
    this.embeddings = embeddings;
    this.maxLines = ConfigProducer.settings().integer(MAX_LINES, 50_000, 1);
  }

  /** For CDI's client proxy. */
  protected BatchInput() {
    this.validation = null;
    this.protection = null;
    this.admission = null;
    this.chat = null;
    this.responses = null;
    this.embeddings = null;
    this.maxLines = 0;
  }

  /** Checks and redacts {@code utf8} into {@code vault} within {@code call}. */
  Prepared prepare(byte[] utf8, ShapeCheck shapes, PlaceholderVault vault, CallContext call) {
    String text = decode(utf8);
    String[] raw = text.split("\n", -1);
    StringBuilder out = new StringBuilder(text.length() + 256);
    Map<String, Integer> ids = new HashMap<>();
    Map<String, Integer> pii = new TreeMap<>();
    Verdict strongest = null;
    String endpoint = null;
    String model = null;
    int lines = 0;
    long input = 0;
    long output = 0;
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
      if (line.isBlank()) {
        continue;
      }
      int n = i + 1;
      if (++lines > maxLines) {
        throw new BatchLineRefusal(
            n, "a batch input file holds at most " + maxLines + " requests", "file");
      }
      JsonObject o = parse(n, line, shapes);
      String customId = string(n, o, "custom_id");
      Integer earlier = ids.putIfAbsent(customId, n);
      if (earlier != null) {
        throw new BatchLineRefusal(
            n, "custom_id '" + customId + "' is used by line " + earlier + " too", "custom_id");
      }
      if (!"POST".equals(string(n, o, "method"))) {
        throw new BatchLineRefusal(n, "method must be POST", "method");
      }
      String url = string(n, o, "url");
      if (!url.equals(CHAT) && !url.equals(RESPONSES) && !url.equals(EMBEDDINGS)) {
        throw new BatchLineRefusal(
            n,
            "url '"
                + url
                + "' is not an endpoint Warden governs; use "
                + CHAT
                + ", "
                + RESPONSES
                + " or "
                + EMBEDDINGS,
            "url");
      }
      if (endpoint != null && !endpoint.equals(url)) {
        throw new BatchLineRefusal(
            n,
            "every line of a batch must have the same url; earlier lines use " + endpoint,
            "url");
      }
      endpoint = url;
      if (!(o.get("body") instanceof JsonObject body)) {
        throw new BatchLineRefusal(n, "body must be a JSON object", "body");
      }
      ErrorInfo shape = shapes.check(url, body.toString().getBytes(StandardCharsets.UTF_8));
      if (shape != null) {
        throw new BatchLineRefusal(
            n, shape.message(), shape.param() == null ? "body" : "body." + shape.param());
      }
      Line checked;
      try {
        checked = line(url, body.toString(), vault, call);
      } catch (OpenAiException e) {
        throw new BatchLineRefusal(n, e);
      } catch (JsonbException | JsonException e) {
        throw new BatchLineRefusal(n, "body is not a valid request for " + url, "body");
      }
      if (model != null && !model.equals(checked.model())) {
        throw new BatchLineRefusal(
            n,
            "every line of a batch must use the same model; earlier lines use " + model,
            "model");
      }
      model = checked.model();
      input += checked.estimate().inputTokens();
      output += checked.estimate().worstOutputTokens();
      call.piiFound().forEach((type, count) -> pii.merge(type, count, Integer::sum));
      Verdict verdict = call.guardVerdict();
      if (verdict != null && (strongest == null || verdict.score() > strongest.score())) {
        strongest = verdict;
      }
      out.append(
              Jsonp.createObjectBuilder()
                  .add("custom_id", customId)
                  .add("method", "POST")
                  .add("url", url)
                  .add("body", DeferredPoller.json(checked.sentJson()))
                  .build())
          .append('\n');
    }
    call.redacted(pii);
    if (strongest != null) {
      call.screened(strongest);
    }
    if (lines == 0) {
      throw new BatchLineRefusal(1, "the file holds no request", "file");
    }
    return new Prepared(
        out.toString().getBytes(StandardCharsets.UTF_8), endpoint, model, lines, input, output);
  }

  /** One checked request: its model, its estimate and the redacted body as JSON. */
  private record Line(String model, Admission.LineEstimate estimate, String sentJson) {}

  private Line line(String url, String body, PlaceholderVault vault, CallContext call) {
    switch (url) {
      case CHAT -> {
        ChatCompletionRequest r = SharedJsonb.JSONB.fromJson(body, ChatCompletionRequest.class);
        validation.chat(r);
        Validation.notStreaming(r.stream());
        inScope(r.model(), call);
        Admission.LineEstimate estimate = admission.estimate(r);
        ChatCompletionRequest safe = protection.protect(chat, r, vault, new Traffic<>(chat), call);
        return new Line(r.model(), estimate, SharedJsonb.JSONB.toJson(safe));
      }
      case RESPONSES -> {
        CreateResponseRequest r = SharedJsonb.JSONB.fromJson(body, CreateResponseRequest.class);
        validation.response(r);
        Validation.notStreaming(r.stream());
        Validation.absent(
            r.previousResponseId(),
            "previous_response_id",
            "a batch request cannot continue a stored response");
        Validation.absent(
            Boolean.TRUE.equals(r.background()) ? "true" : null,
            "background",
            "a batch request is not a background response");
        Validation.absent(
            r.conversation() == null || r.conversation() == JsonValue.NULL ? null : "conversation",
            "conversation",
            "a batch request cannot continue a conversation");
        inScope(r.model(), call);
        Admission.LineEstimate estimate = admission.estimate(r);
        CreateResponseRequest safe =
            protection.protect(responses, r, vault, new Traffic<>(responses), call);
        return new Line(r.model(), estimate, SharedJsonb.JSONB.toJson(safe));
      }
      default -> {
        EmbeddingRequest r = SharedJsonb.JSONB.fromJson(body, EmbeddingRequest.class);
        validation.embeddings(r);
        inScope(r.model(), call);
        Admission.LineEstimate estimate = admission.estimate(r);
        EmbeddingRequest safe =
            protection.protect(embeddings, r, vault, new Traffic<>(embeddings), call);
        return new Line(r.model(), estimate, SharedJsonb.JSONB.toJson(safe));
      }
    }
  }

  private static void inScope(String model, CallContext call) {
    if (!call.caller().scope().allows(model)) {
      throw new ModelNotAllowedRefusal(model);
    }
  }

  private static JsonObject parse(int n, String line, ShapeCheck shapes) {
    ErrorInfo duplicate = shapes.check("", line.getBytes(StandardCharsets.UTF_8));
    if (duplicate != null) {
      throw new BatchLineRefusal(n, duplicate.message(), duplicate.param());
    }
    JsonValue value;
    try {
      try (JsonReader reader = Jsonp.createReader(new StringReader(line))) {
        value = reader.readValue();
      }
    } catch (JsonException e) {
      throw new BatchLineRefusal(n, "the line is not valid JSON", null);
    }
    if (!(value instanceof JsonObject o)) {
      throw new BatchLineRefusal(n, "the line must be a JSON object", null);
    }
    for (String key : o.keySet()) {
      if (!LINE_FIELDS.contains(key)) {
        throw new BatchLineRefusal(
            n, "unknown field '" + key + "'; a line has custom_id, method, url and body", key);
      }
    }
    return o;
  }

  private static String string(int n, JsonObject o, String name) {
    if (!(o.get(name) instanceof JsonString s) || s.getString().isBlank()) {
      throw new BatchLineRefusal(n, name + " is required and must be a string", name);
    }
    return s.getString();
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
      throw new BatchLineRefusal(1, "the file is not valid UTF-8", "file");
    }
  }
}
