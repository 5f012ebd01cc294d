package dev.warden.openai.stream;

import dev.warden.openai.model.ResponseUsage;
import dev.warden.openai.model.Usage;

/**
 * Token counts of one call, the same for both APIs: input (of which cached) and output (of which
 * reasoning). Zero where the upstream did not say.
 */
public record TokenUsage(long input, long cachedInput, long output, long reasoning) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

  public static TokenUsage of(Usage usage) {
    if (usage == null) {
      return NONE;
    }
    return new TokenUsage(
        n(usage.promptTokens()),
        usage.promptTokensDetails() == null ? 0 : n(usage.promptTokensDetails().cachedTokens()),
        n(usage.completionTokens()),
        usage.completionTokensDetails() == null
            ? 0
            : n(usage.completionTokensDetails().reasoningTokens()));
  }

  public static TokenUsage of(ResponseUsage usage) {
    if (usage == null) {
      return NONE;
    }
    return new TokenUsage(
        n(usage.inputTokens()),
        usage.inputTokensDetails() == null ? 0 : n(usage.inputTokensDetails().cachedTokens()),
        n(usage.outputTokens()),
        usage.outputTokensDetails() == null ? 0 : n(usage.outputTokensDetails().reasoningTokens()));
  }

  /** Input plus output tokens. */
  public long total() {
    return input + output;
  }

  private static long n(Integer value) {
    return value == null ? 0 : value;
  }
}
