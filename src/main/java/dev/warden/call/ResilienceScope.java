package dev.warden.call;

import java.util.function.Supplier;

/**
 * Marks the calls made on this thread as guarded by the caller's own MicroProfile Fault Tolerance
 * (an {@code @AiService} method that declares {@code @Retry}, {@code @CircuitBreaker},
 * {@code @Fallback}, ...). Only one layer retries: such a call makes one attempt, and Warden's
 * fallback chain does not answer for it, so the caller's policy sees every failure and counts every
 * attempt (the resilient client in {@code dev.warden.ai}).
 */
public final class ResilienceScope {

  private static final ThreadScope<Boolean> CALLER_OWNED = new ThreadScope<>();

  private ResilienceScope() {}

  /** Whether the calls on this thread are guarded by their caller. */
  public static boolean callerOwned() {
    return Boolean.TRUE.equals(CALLER_OWNED.current());
  }

  /** Runs {@code action} with its calls guarded by the caller's own fault tolerance. */
  public static <T> T callerOwned(Supplier<T> action) {
    return CALLER_OWNED.with(Boolean.TRUE, action);
  }
}
