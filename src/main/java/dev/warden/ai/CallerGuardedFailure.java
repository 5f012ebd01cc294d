package dev.warden.ai;

import dev.warden.call.ResilienceScope;
import dev.warden.openai.error.OpenAiException;

/**
 * Carries a retriable failure of a call whose caller guards it with its own fault tolerance ({@link
 * ResilienceScope}) past {@link ResilientOpenAi}'s {@code @Retry} (which aborts on it) and
 * {@code @Fallback} (which does not apply to it); its circuit breaker still counts it. {@link
 * Pipeline} hands the caller the failure itself.
 */
final class CallerGuardedFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final OpenAiException failure;

  CallerGuardedFailure(OpenAiException failure) {
    super(failure.getMessage(), failure, false, false);
    this.failure = failure;
  }

  /** {@code e}, or the failure it carries. */
  static RuntimeException unwrap(RuntimeException e) {
    return e instanceof CallerGuardedFailure g ? g.failure : e;
  }
}
