package dev.warden.openai.model;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Responses API request ({@code POST /responses}). {@code input} is a string or an array of
 * {@link ResponseItem}s; {@code tools} are kept as JSON objects because the tool kinds are many
 * (see {@link #functionTool(String, String, JsonObject, Boolean)}). Every field is omitted from the
 * JSON when {@code null}. Build one with {@link #builder()}; derive variants with {@link
 * #toBuilder()} and {@link #withModel(String)}.
 */
public record CreateResponseRequest(
    @JsonbProperty("model") String model,
    @JsonbProperty("input") ResponseInput input,
    @JsonbProperty("instructions") String instructions,
    @JsonbProperty("previous_response_id") String previousResponseId,
    @JsonbProperty("conversation") JsonValue conversation,
    @JsonbProperty("store") Boolean store,
    @JsonbProperty("background") Boolean background,
    @JsonbProperty("tools") List<JsonObject> tools,
    @JsonbProperty("tool_choice") ToolChoice toolChoice,
    @JsonbProperty("parallel_tool_calls") Boolean parallelToolCalls,
    @JsonbProperty("text") ResponseTextConfig text,
    @JsonbProperty("max_output_tokens") Integer maxOutputTokens,
    @JsonbProperty("max_tool_calls") Integer maxToolCalls,
    @JsonbProperty("reasoning") ReasoningConfig reasoning,
    @JsonbProperty("truncation") String truncation,
    @JsonbProperty("temperature") Double temperature,
    @JsonbProperty("top_p") Double topP,
    @JsonbProperty("metadata") Map<String, String> metadata,
    @JsonbProperty("user") String user,
    @JsonbProperty("safety_identifier") String safetyIdentifier,
    @JsonbProperty("prompt_cache_key") String promptCacheKey,
    @JsonbProperty("service_tier") String serviceTier,
    @JsonbProperty("stream") Boolean stream,
    @JsonbProperty("stream_options") StreamOptions streamOptions,
    @JsonbProperty("include") List<String> include,
    @JsonbProperty("prompt") JsonValue prompt,
    @JsonbProperty("top_logprobs") Integer topLogprobs) {
  public CreateResponseRequest {
    conversation = Copies.json(conversation);
    tools = Copies.list(tools);
    metadata = Copies.map(metadata);
    include = Copies.list(include);
    prompt = Copies.json(prompt);
  }

  /**
   * A Responses {@code function} tool: {@code {"type": "function", "name", "description",
   * "parameters", "strict"}}. Null arguments other than {@code name} are left out.
   */
  public static JsonObject functionTool(
      String name, String description, JsonObject parameters, Boolean strict) {
    return new FunctionDefinition(name, description, parameters, strict).toResponsesTool();
  }

  /** This request with another model. */
  public CreateResponseRequest withModel(String model) {
    return toBuilder().model(model).build();
  }

  /** Whether the response is requested as a server-sent event stream. */
  public boolean streaming() {
    return Boolean.TRUE.equals(stream);
  }

  /** Returns an empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised with every field of this request. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable builder of {@link CreateResponseRequest}; not thread-safe. */
  public static final class Builder {
    private String model;
    private ResponseInput input;
    private String instructions;
    private String previousResponseId;
    private JsonValue conversation;
    private Boolean store;
    private Boolean background;
    private List<JsonObject> tools;
    private ToolChoice toolChoice;
    private Boolean parallelToolCalls;
    private ResponseTextConfig text;
    private Integer maxOutputTokens;
    private Integer maxToolCalls;
    private ReasoningConfig reasoning;
    private String truncation;
    private Double temperature;
    private Double topP;
    private Map<String, String> metadata;
    private String user;
    private String safetyIdentifier;
    private String promptCacheKey;
    private String serviceTier;
    private Boolean stream;
    private StreamOptions streamOptions;
    private List<String> include;
    private JsonValue prompt;
    private Integer topLogprobs;

    private Builder() {}

    private Builder(CreateResponseRequest source) {
      this.model = source.model();
      this.input = source.input();
      this.instructions = source.instructions();
      this.previousResponseId = source.previousResponseId();
      this.conversation = source.conversation();
      this.store = source.store();
      this.background = source.background();
      this.tools = source.tools();
      this.toolChoice = source.toolChoice();
      this.parallelToolCalls = source.parallelToolCalls();
      this.text = source.text();
      this.maxOutputTokens = source.maxOutputTokens();
      this.maxToolCalls = source.maxToolCalls();
      this.reasoning = source.reasoning();
      this.truncation = source.truncation();
      this.temperature = source.temperature();
      this.topP = source.topP();
      this.metadata = source.metadata();
      this.user = source.user();
      this.safetyIdentifier = source.safetyIdentifier();
      this.promptCacheKey = source.promptCacheKey();
      this.serviceTier = source.serviceTier();
      this.stream = source.stream();
      this.streamOptions = source.streamOptions();
      this.include = source.include();
      this.prompt = source.prompt();
      this.topLogprobs = source.topLogprobs();
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder input(ResponseInput input) {
      this.input = input;
      return this;
    }

    public Builder instructions(String instructions) {
      this.instructions = instructions;
      return this;
    }

    public Builder previousResponseId(String previousResponseId) {
      this.previousResponseId = previousResponseId;
      return this;
    }

    public Builder conversation(JsonValue conversation) {
      this.conversation = conversation;
      return this;
    }

    public Builder store(Boolean store) {
      this.store = store;
      return this;
    }

    public Builder background(Boolean background) {
      this.background = background;
      return this;
    }

    public Builder tools(List<JsonObject> tools) {
      this.tools = tools;
      return this;
    }

    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    public Builder parallelToolCalls(Boolean parallelToolCalls) {
      this.parallelToolCalls = parallelToolCalls;
      return this;
    }

    public Builder text(ResponseTextConfig text) {
      this.text = text;
      return this;
    }

    public Builder maxOutputTokens(Integer maxOutputTokens) {
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    public Builder maxToolCalls(Integer maxToolCalls) {
      this.maxToolCalls = maxToolCalls;
      return this;
    }

    public Builder reasoning(ReasoningConfig reasoning) {
      this.reasoning = reasoning;
      return this;
    }

    public Builder truncation(String truncation) {
      this.truncation = truncation;
      return this;
    }

    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    public Builder metadata(Map<String, String> metadata) {
      this.metadata = metadata;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder safetyIdentifier(String safetyIdentifier) {
      this.safetyIdentifier = safetyIdentifier;
      return this;
    }

    public Builder promptCacheKey(String promptCacheKey) {
      this.promptCacheKey = promptCacheKey;
      return this;
    }

    public Builder serviceTier(String serviceTier) {
      this.serviceTier = serviceTier;
      return this;
    }

    public Builder stream(Boolean stream) {
      this.stream = stream;
      return this;
    }

    public Builder streamOptions(StreamOptions streamOptions) {
      this.streamOptions = streamOptions;
      return this;
    }

    public Builder include(List<String> include) {
      this.include = include;
      return this;
    }

    public Builder prompt(JsonValue prompt) {
      this.prompt = prompt;
      return this;
    }

    public Builder topLogprobs(Integer topLogprobs) {
      this.topLogprobs = topLogprobs;
      return this;
    }

    /** Sets {@code input} to a plain string. */
    public Builder input(String input) {
      this.input = input == null ? null : ResponseInput.of(input);
      return this;
    }

    /** Sets {@code input} to an array of items. */
    public Builder input(ResponseItem... items) {
      this.input = ResponseInput.of(items);
      return this;
    }

    /** Appends one tool (a JSON object such as {@link #functionTool}'s). */
    public Builder tool(JsonObject tool) {
      this.tools = tools == null ? new ArrayList<>() : new ArrayList<>(tools);
      this.tools.add(tool);
      return this;
    }

    /** Sets {@code tool_choice} to a mode string ({@code "none"}, {@code "auto"}, ...). */
    public Builder toolChoice(String mode) {
      this.toolChoice = mode == null ? null : ToolChoice.of(mode);
      return this;
    }

    /** Adds one {@code metadata} entry. */
    public Builder metadata(String key, String value) {
      this.metadata = metadata == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metadata);
      this.metadata.put(key, value);
      return this;
    }

    public CreateResponseRequest build() {
      return new CreateResponseRequest(
          model,
          input,
          instructions,
          previousResponseId,
          conversation,
          store,
          background,
          tools,
          toolChoice,
          parallelToolCalls,
          text,
          maxOutputTokens,
          maxToolCalls,
          reasoning,
          truncation,
          temperature,
          topP,
          metadata,
          user,
          safetyIdentifier,
          promptCacheKey,
          serviceTier,
          stream,
          streamOptions,
          include,
          prompt,
          topLogprobs);
    }
  }
}
