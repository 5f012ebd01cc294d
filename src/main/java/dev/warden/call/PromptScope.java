package dev.warden.call;

import java.util.function.Supplier;

/**
 * The prompt the calls on this thread are made with, so that the call's record ({@link
 * dev.warden.call.CallContext}) can name it without every entry point passing it along.
 */
public final class PromptScope {
  private static final ThreadScope<PromptRef> CURRENT = new ThreadScope<>();

  private PromptScope() {}

  /** The prompt of the call being made on this thread, {@code null} when none. */
  public static PromptRef current() {
    return CURRENT.current();
  }

  /** Runs {@code action} with {@code prompt} as the current prompt. */
  public static <T> T with(PromptRef prompt, Supplier<T> action) {
    return CURRENT.with(prompt, action);
  }
}
