package dev.warden.call;

import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Idempotency keys that stay the same when a caller's own fault tolerance runs an invocation again
 * (an {@code @AiService} method with {@code @Retry}): the invocation has one key, and each attempt
 * binds it to its thread with {@link #call}; the n-th call an attempt makes is sent upstream as
 * {@code <key>-<n>}, so the first call of every retry carries the same key, the second the same
 * other key, and so on. Outside such a scope a call gets a fresh key ({@link CallContext}).
 */
public final class IdempotencyScope {

  private static final ThreadScope<Sequence> CURRENT = new ThreadScope<>();

  private IdempotencyScope() {}

  /** A fresh key for one invocation. */
  public static String newInvocationKey() {
    return "warden-" + UUID.randomUUID();
  }

  /**
   * Runs one attempt of the invocation whose key is {@code invocationKey}: its calls are numbered
   * from 1.
   */
  public static <T> T call(String invocationKey, Callable<T> attempt) throws Exception {
    return CURRENT.call(new Sequence(invocationKey), attempt);
  }

  /** The key of the next call on this thread; {@code null} outside an attempt. */
  static String next() {
    Sequence sequence = CURRENT.current();
    return sequence == null ? null : sequence.next();
  }

  private static final class Sequence {
    private final String key;
    private int calls;

    Sequence(String key) {
      this.key = key;
    }

    synchronized String next() {
      return key + "-" + ++calls;
    }
  }
}
