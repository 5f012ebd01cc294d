package dev.warden.openai.model;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Chat Completions request ({@code POST /chat/completions}). Only {@code model} and {@code
 * messages} are required; every other field is omitted from the JSON when {@code null}. Build one
 * with {@link #builder()}; derive variants with {@link #toBuilder()}, {@link #withModel(String)}
 * and {@link #withStreamOptions(StreamOptions)}.
 */
public record ChatCompletionRequest(
    @JsonbProperty("model") String model,
    @JsonbProperty("messages") List<ChatMessage> messages,
    @JsonbProperty("tools") List<Tool> tools,
    @JsonbProperty("tool_choice") ToolChoice toolChoice,
    @JsonbProperty("parallel_tool_calls") Boolean parallelToolCalls,
    @JsonbProperty("response_format") ResponseFormat responseFormat,
    @JsonbProperty("max_completion_tokens") Integer maxCompletionTokens,
    @JsonbProperty("max_tokens") Integer maxTokens,
    @JsonbProperty("stop") StopSequences stop,
    @JsonbProperty("temperature") Double temperature,
    @JsonbProperty("top_p") Double topP,
    @JsonbProperty("seed") Long seed,
    @JsonbProperty("n") Integer n,
    @JsonbProperty("user") String user,
    @JsonbProperty("safety_identifier") String safetyIdentifier,
    @JsonbProperty("metadata") Map<String, String> metadata,
    @JsonbProperty("store") Boolean store,
    @JsonbProperty("prompt_cache_key") String promptCacheKey,
    @JsonbProperty("service_tier") String serviceTier,
    @JsonbProperty("stream") Boolean stream,
    @JsonbProperty("stream_options") StreamOptions streamOptions,
    @JsonbProperty("reasoning_effort") String reasoningEffort,
    @JsonbProperty("frequency_penalty") Double frequencyPenalty,
    @JsonbProperty("presence_penalty") Double presencePenalty,
    @JsonbProperty("logprobs") Boolean logprobs,
    @JsonbProperty("top_logprobs") Integer topLogprobs,
    @JsonbProperty("logit_bias") Map<String, Integer> logitBias,
    @JsonbProperty("modalities") List<String> modalities,
    @JsonbProperty("verbosity") String verbosity,
    @JsonbProperty("prediction") JsonValue prediction,
    @JsonbProperty("audio") JsonValue audio,
    @JsonbProperty("web_search_options") JsonValue webSearchOptions) {
  public ChatCompletionRequest {
    messages = Copies.list(messages);
    tools = Copies.list(tools);
    metadata = Copies.map(metadata);
    logitBias = Copies.map(logitBias);
    modalities = Copies.list(modalities);
    prediction = Copies.json(prediction);
    audio = Copies.json(audio);
    webSearchOptions = Copies.json(webSearchOptions);
  }

  /** This request with another model. */
  public ChatCompletionRequest withModel(String model) {
    return toBuilder().model(model).build();
  }

  /** This request with other stream options. */
  public ChatCompletionRequest withStreamOptions(StreamOptions streamOptions) {
    return toBuilder().streamOptions(streamOptions).build();
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

  /** Mutable builder of {@link ChatCompletionRequest}; not thread-safe. */
  public static final class Builder {
    private String model;
    private List<ChatMessage> messages;
    private List<Tool> tools;
    private ToolChoice toolChoice;
    private Boolean parallelToolCalls;
    private ResponseFormat responseFormat;
    private Integer maxCompletionTokens;
    private Integer maxTokens;
    private StopSequences stop;
    private Double temperature;
    private Double topP;
    private Long seed;
    private Integer n;
    private String user;
    private String safetyIdentifier;
    private Map<String, String> metadata;
    private Boolean store;
    private String promptCacheKey;
    private String serviceTier;
    private Boolean stream;
    private StreamOptions streamOptions;
    private String reasoningEffort;
    private Double frequencyPenalty;
    private Double presencePenalty;
    private Boolean logprobs;
    private Integer topLogprobs;
    private Map<String, Integer> logitBias;
    private List<String> modalities;
    private String verbosity;
    private JsonValue prediction;
    private JsonValue audio;
    private JsonValue webSearchOptions;

    private Builder() {}

    private Builder(ChatCompletionRequest source) {
      this.model = source.model();
      this.messages = source.messages();
      this.tools = source.tools();
      this.toolChoice = source.toolChoice();
      this.parallelToolCalls = source.parallelToolCalls();
      this.responseFormat = source.responseFormat();
      this.maxCompletionTokens = source.maxCompletionTokens();
      this.maxTokens = source.maxTokens();
      this.stop = source.stop();
      this.temperature = source.temperature();
      this.topP = source.topP();
      this.seed = source.seed();
      this.n = source.n();
      this.user = source.user();
      this.safetyIdentifier = source.safetyIdentifier();
      this.metadata = source.metadata();
      this.store = source.store();
      this.promptCacheKey = source.promptCacheKey();
      this.serviceTier = source.serviceTier();
      this.stream = source.stream();
      this.streamOptions = source.streamOptions();
      this.reasoningEffort = source.reasoningEffort();
      this.frequencyPenalty = source.frequencyPenalty();
      this.presencePenalty = source.presencePenalty();
      this.logprobs = source.logprobs();
      this.topLogprobs = source.topLogprobs();
      this.logitBias = source.logitBias();
      this.modalities = source.modalities();
      this.verbosity = source.verbosity();
      this.prediction = source.prediction();
      this.audio = source.audio();
      this.webSearchOptions = source.webSearchOptions();
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder messages(List<ChatMessage> messages) {
      this.messages = messages;
      return this;
    }

    public Builder tools(List<Tool> tools) {
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

    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    public Builder maxCompletionTokens(Integer maxCompletionTokens) {
      this.maxCompletionTokens = maxCompletionTokens;
      return this;
    }

    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder stop(StopSequences stop) {
      this.stop = stop;
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

    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    public Builder n(Integer n) {
      this.n = n;
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

    public Builder metadata(Map<String, String> metadata) {
      this.metadata = metadata;
      return this;
    }

    public Builder store(Boolean store) {
      this.store = store;
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

    public Builder reasoningEffort(String reasoningEffort) {
      this.reasoningEffort = reasoningEffort;
      return this;
    }

    public Builder frequencyPenalty(Double frequencyPenalty) {
      this.frequencyPenalty = frequencyPenalty;
      return this;
    }

    public Builder presencePenalty(Double presencePenalty) {
      this.presencePenalty = presencePenalty;
      return this;
    }

    public Builder logprobs(Boolean logprobs) {
      this.logprobs = logprobs;
      return this;
    }

    public Builder topLogprobs(Integer topLogprobs) {
      this.topLogprobs = topLogprobs;
      return this;
    }

    public Builder logitBias(Map<String, Integer> logitBias) {
      this.logitBias = logitBias;
      return this;
    }

    public Builder modalities(List<String> modalities) {
      this.modalities = modalities;
      return this;
    }

    public Builder verbosity(String verbosity) {
      this.verbosity = verbosity;
      return this;
    }

    public Builder prediction(JsonValue prediction) {
      this.prediction = prediction;
      return this;
    }

    public Builder audio(JsonValue audio) {
      this.audio = audio;
      return this;
    }

    public Builder webSearchOptions(JsonValue webSearchOptions) {
      this.webSearchOptions = webSearchOptions;
      return this;
    }

    /** Sets the messages. */
    public Builder messages(ChatMessage... messages) {
      this.messages = new ArrayList<>(Arrays.asList(messages));
      return this;
    }

    /** Appends one message. */
    public Builder message(ChatMessage message) {
      if (messages == null) {
        messages = new ArrayList<>();
      } else {
        messages = new ArrayList<>(messages);
      }
      messages.add(message);
      return this;
    }

    /** Sets the tools. */
    public Builder tools(Tool... tools) {
      this.tools = new ArrayList<>(Arrays.asList(tools));
      return this;
    }

    /** Sets {@code tool_choice} to a mode string ({@code "none"}, {@code "auto"}, ...). */
    public Builder toolChoice(String mode) {
      this.toolChoice = mode == null ? null : ToolChoice.of(mode);
      return this;
    }

    /** Sets {@code stop} to a single string. */
    public Builder stop(String stop) {
      this.stop = stop == null ? null : StopSequences.of(stop);
      return this;
    }

    /** Adds one {@code metadata} entry. */
    public Builder metadata(String key, String value) {
      this.metadata = metadata == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metadata);
      this.metadata.put(key, value);
      return this;
    }

    public ChatCompletionRequest build() {
      return new ChatCompletionRequest(
          model,
          messages,
          tools,
          toolChoice,
          parallelToolCalls,
          responseFormat,
          maxCompletionTokens,
          maxTokens,
          stop,
          temperature,
          topP,
          seed,
          n,
          user,
          safetyIdentifier,
          metadata,
          store,
          promptCacheKey,
          serviceTier,
          stream,
          streamOptions,
          reasoningEffort,
          frequencyPenalty,
          presencePenalty,
          logprobs,
          topLogprobs,
          logitBias,
          modalities,
          verbosity,
          prediction,
          audio,
          webSearchOptions);
    }
  }
}
