package dev.warden.call;

import java.util.function.Supplier;

/**
 * Why the calls made on this thread use the model they request, when something other than the
 * caller chose it (the use-case router): the call's record ({@link CallContext}) starts its route
 * reason from it, and adds a fallback if one answered. Without a scope the reason is {@value
 * #REQUESTED}.
 */
public final class RouteScope {

  /** The reason of a call whose model the caller asked for itself. */
  public static final String REQUESTED = "requested";

  private static final ThreadScope<String> CURRENT = new ThreadScope<>();

  private RouteScope() {}

  /** The reason for the calls on this thread, {@code null} when none was set. */
  public static String current() {
    return CURRENT.current();
  }

  /**
   * Runs {@code action} with {@code reason} (e.g. {@code routed: use case triage, cheapest first})
   * as the route reason of the calls it makes.
   */
  public static <T> T with(String reason, Supplier<T> action) {
    return CURRENT.with(reason, action);
  }
}
