package dev.warden.call;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A value bound to the current thread for the length of an action, restored to the outer value (or
 * removed) when the action ends however it ends, so scopes nest and a pooled thread never keeps a
 * value. The one implementation behind {@link Caller#runAs}, {@link RouteScope}, {@link
 * PromptScope} and {@link ResilienceScope}.
 *
 * @param <T> the type of the value
 */
public final class ThreadScope<T> {

  private final ThreadLocal<T> current = new ThreadLocal<>();

  /** The value bound to this thread, {@code null} when none. */
  public T current() {
    return current.get();
  }

  /** Runs {@code action} with {@code value} ({@code null}: none) bound to this thread. */
  public <R> R with(T value, Supplier<R> action) {
    T outer = enter(value);
    try {
      return action.get();
    } finally {
      restore(outer);
    }
  }

  /** Runs {@code action}, which may throw, with {@code value} bound to this thread. */
  public <R> R call(T value, Callable<R> action) throws Exception {
    T outer = enter(value);
    try {
      return action.call();
    } finally {
      restore(outer);
    }
  }

  /**
   * Binds {@code value} to this thread until {@link #unbind()}; for callbacks whose begin and end
   * are separate (request filters). Prefer {@link #with}.
   */
  public void bind(T value) {
    current.set(Objects.requireNonNull(value, "value"));
  }

  /** Removes this thread's binding. */
  public void unbind() {
    current.remove();
  }

  private T enter(T value) {
    T outer = current.get();
    set(value);
    return outer;
  }

  private void restore(T outer) {
    set(outer);
  }

  private void set(T value) {
    if (value == null) {
      current.remove();
    } else {
      current.set(value);
    }
  }
}
