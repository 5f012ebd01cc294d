package dev.warden.call;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Who a call is made for: the principal, its tenant, the Warden API key it used ({@code null} when
 * none) and that key's {@link KeyScope}. Carried by {@link CallContext} and reported in {@link
 * CallFinished}; budgets, rate limits and the usage ledger are kept per caller.
 *
 * <p>The caller of a call is worked out by {@link Callers}: the one bound to the current thread
 * ({@link #runAs}, or the gateway's authentication filter), else the authenticated principal of the
 * current HTTP request of the application, else {@link #ANONYMOUS}.
 */
public record Caller(String principal, String tenant, String apiKeyId, KeyScope scope) {

  private static final String ANONYMOUS_NAME = "anonymous";
  private static final String DEFAULT_TENANT = "default";

  /**
   * The caller when nobody said who is calling: principal {@code anonymous}, tenant {@code
   * default}.
   */
  public static final Caller ANONYMOUS = new Caller("anonymous", "default", null);

  /** A caller without a key scope. */
  public Caller(String principal, String tenant, String apiKeyId) {
    this(principal, tenant, apiKeyId, KeyScope.NONE);
  }

  private static final ThreadScope<Caller> CURRENT = new ThreadScope<>();

  public Caller {
    principal = principal == null || principal.isBlank() ? ANONYMOUS_NAME : principal;
    tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
    apiKeyId = apiKeyId == null || apiKeyId.isBlank() ? null : apiKeyId;
    scope = scope == null ? KeyScope.NONE : scope;
  }

  /** A caller of the default tenant without an API key. */
  public static Caller of(String principal) {
    return new Caller(principal, DEFAULT_TENANT, null);
  }

  /** The caller bound to this thread ({@link #runAs}, {@link #bind}), if any. */
  public static Optional<Caller> bound() {
    return Optional.ofNullable(CURRENT.current());
  }

  /**
   * Runs {@code action} with {@code caller} bound to this thread, restoring the previous binding.
   */
  public static <T> T runAs(Caller caller, Supplier<T> action) {
    Objects.requireNonNull(caller, "caller");
    return CURRENT.with(caller, action);
  }

  /**
   * Runs {@code action}, which may throw, with {@code caller} bound to this thread, restoring the
   * previous binding.
   */
  public static <T> T callAs(Caller caller, Callable<T> action) throws Exception {
    Objects.requireNonNull(caller, "caller");
    return CURRENT.call(caller, action);
  }

  /**
   * Binds {@code caller} to this thread until {@link #unbind()}; for request filters, whose begin
   * and end are separate callbacks. Prefer {@link #runAs}.
   */
  public static void bind(Caller caller) {
    CURRENT.bind(Objects.requireNonNull(caller, "caller"));
  }

  /** Removes this thread's binding. */
  public static void unbind() {
    CURRENT.unbind();
  }
}
