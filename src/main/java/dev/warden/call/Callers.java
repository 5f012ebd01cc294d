package dev.warden.call;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Optional;

/**
 * Who is calling, for every call, from whatever entry point:
 *
 * <ol>
 *   <li>the {@link Caller} bound to the current thread: {@link Caller#runAs} (batch work without a
 *       request), or the gateway's authentication of a {@code /v1} or {@code /api} request;
 *   <li>else the authenticated principal of the application's current HTTP request ({@code
 *       HttpServletRequest#getUserPrincipal}: Jakarta Security, a servlet security constraint, or
 *       MicroProfile JWT), with the tenant named by the claim {@value #TENANT_CLAIM} of a JWT when
 *       configured and present, else {@value #TENANT} (default {@code default});
 *   <li>else {@link Caller#ANONYMOUS}.
 * </ol>
 *
 * Budgets, rate limits, the usage ledger and the audit record are kept for the caller this returns.
 */
@ApplicationScoped
public class Callers {

  /** The tenant of callers that come from the application's requests. */
  public static final String TENANT = "warden.caller.tenant";

  /** The JWT claim that names a request principal's tenant (none by default). */
  public static final String TENANT_CLAIM = "warden.caller.tenant-claim";

  @Inject BeanManager beans;
  @Inject Instance<HttpServletRequest> requests;

  private String tenant;
  private Optional<String> tenantClaim;

  @PostConstruct
  public void init() {
    Settings s = ConfigProducer.settings();
    tenant = s.string(TENANT, "default");
    tenantClaim = s.string(TENANT_CLAIM);
  }

  /** The caller of a call made now, on this thread. */
  public Caller current() {
    return Caller.bound().orElseGet(this::fromRequest);
  }

  private Caller fromRequest() {
    Principal principal = requestPrincipal();
    if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
      return Caller.ANONYMOUS;
    }
    return new Caller(principal.getName(), tenantOf(principal).orElse(tenant), null);
  }

  private Principal requestPrincipal() {
    try {
      if (!beans.getContext(RequestScoped.class).isActive() || !requests.isResolvable()) {
        return null;
      }
      return requests.get().getUserPrincipal();
    } catch (ContextNotActiveException | IllegalStateException e) {
      return null; // no HTTP request on this thread
    }
  }

  /**
   * The tenant claim of a JWT principal: its {@code getClaim(String)}, found on a public interface
   * of the principal (MicroProfile JWT's {@code JsonWebToken}) without linking to it, since an
   * application need not enable MicroProfile JWT.
   */
  private Optional<String> tenantOf(Principal principal) {
    if (tenantClaim.isEmpty()) {
      return Optional.empty();
    }
    Method getClaim = claimReader(principal.getClass()).orElse(null);
    if (getClaim == null) {
      return Optional.empty();
    }
    try {
      Object value = getClaim.invoke(principal, tenantClaim.get());
      if (value instanceof JsonString json) {
        value = json.getString();
      }
      return Optional.ofNullable(value).map(Object::toString).filter(v -> !v.isBlank());
    } catch (ReflectiveOperationException e) {
      return Optional.empty();
    }
  }

  private static Optional<Method> claimReader(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        try {
          return Optional.of(i.getMethod("getClaim", String.class));
        } catch (NoSuchMethodException e) {
          // not this one
        }
      }
    }
    return Optional.empty();
  }
}
