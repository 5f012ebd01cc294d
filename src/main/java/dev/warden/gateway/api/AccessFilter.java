package dev.warden.gateway.api;

import dev.warden.call.Caller;
import dev.warden.gateway.console.ConsoleCookieAuthentication;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.AuthenticationFailedException;
import dev.warden.gateway.identity.Authenticator;
import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.Role;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Authentication and authorization for every {@code /v1} and {@code /api} operation, before the
 * resource runs:
 *
 * <ol>
 *   <li>the {@code Authorization} header becomes an {@link Identity} ({@link Authenticator}); none,
 *       or one that is not valid, is refused with 401 and {@code WWW-Authenticate}. An {@code /api}
 *       request without the header may be authenticated by the console's session cookie instead
 *       ({@link ConsoleCookieAuthentication}): an unsafe one without the session's CSRF token is
 *       refused with 403 {@code csrf_token_invalid} before the resource runs;
 *   <li>the identity must hold a role at all (a JWT whose groups map to none: 403 {@code no_role})
 *       and one of the roles the operation is {@link Allowed} for; an operation without
 *       {@code @Allowed} is refused to everybody (deny by default): 403;
 *   <li>the identity becomes the request's {@link SecurityContext} principal ({@link
 *       IdentityPrincipal}) and the {@link Caller} of every call made on this thread, so audit,
 *       usage, budgets and rate limits see who called.
 * </ol>
 *
 * Refusals are in the caller's format (OpenAI's error object on {@code /v1}, problem JSON on {@code
 * /api}) and never echo a credential.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AccessFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final Logger LOG = Logger.getLogger(AccessFilter.class.getName());

  static final String NO_CREDENTIALS =
      "No credentials: send Authorization: Bearer <Warden API key or JWT>";
  static final String WWW_AUTHENTICATE = "Bearer realm=\"warden\"";

  @Inject Authenticator authenticator;
  @Inject ConsoleCookieAuthentication console;

  @Context ResourceInfo resource;

  @Context HttpServletRequest servletRequest;

  @Override
  public void filter(ContainerRequestContext request) {
    Caller.unbind();
    // a request with a body was authenticated before it was read (RequestLimitsFilter)
    Identity identity =
        servletRequest == null
            ? null
            : (Identity) servletRequest.getAttribute(RequestLimitsFilter.IDENTITY);
    if (identity == null) {
      Optional<ConsoleCookieAuthentication.Result> cookie =
          console.authenticate(
              servletRequest,
              "/" + stripSlash(request.getUriInfo().getPath()),
              request.getMethod());
      if (cookie.isPresent()) {
        if (cookie.get() instanceof ConsoleCookieAuthentication.Authenticated a) {
          identity = a.session().identity();
        } else {
          request.abortWith(
              ErrorResponses.error(
                      request.getUriInfo(),
                      403,
                      "invalid_request_error",
                      ConsoleCookieAuthentication.CSRF_INVALID,
                      null,
                      ConsoleCookieAuthentication.CSRF_MESSAGE)
                  .build());
          return;
        }
      }
    }
    if (identity == null) {
      try {
        identity =
            authenticator
                .authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .orElse(null);
      } catch (AuthenticationFailedException e) {
        LOG.log(Level.FINE, "WARDEN0805I: authentication failed: {0}", e.code());
        request.abortWith(unauthorized(request, e.code(), e.getMessage()));
        return;
      }
    }
    if (identity == null) {
      request.abortWith(unauthorized(request, "missing_credentials", NO_CREDENTIALS));
      return;
    }
    if (identity.roles().isEmpty()) {
      // a verified JWT none of whose groups is mapped to a role (JwtVerifier): nothing is implicit
      LOG.log(
          Level.FINE,
          "WARDEN0807I: a {0} caller holding no Warden role was refused",
          identity.method());
      request.abortWith(
          ErrorResponses.error(
                  request.getUriInfo(),
                  403,
                  "invalid_request_error",
                  "no_role",
                  null,
                  "You are authenticated but hold no Warden role: none of your token's groups is"
                      + " mapped to a role (warden.identity.roles.<role>); ask the operator")
              .build());
      return;
    }
    List<Role> allowed = allowedRoles();
    if (allowed.stream().noneMatch(identity::has)) {
      // principals can be e-mail addresses: never logged
      LOG.log(
          Level.FINE,
          "WARDEN0806I: a {0} caller was refused {1} {2}",
          new Object[] {identity.method(), request.getMethod(), request.getUriInfo().getPath()});
      request.abortWith(
          ErrorResponses.error(
                  request.getUriInfo(),
                  403,
                  "invalid_request_error",
                  "permission_denied",
                  null,
                  allowed.isEmpty()
                      ? "This operation is not open to any role"
                      : "This operation needs the role "
                          + allowed.stream()
                              .map(Role::wireName)
                              .collect(Collectors.joining(" or ")))
              .build());
      return;
    }
    SecurityContext original = request.getSecurityContext();
    boolean secure = original != null && original.isSecure();
    request.setSecurityContext(new IdentitySecurityContext(identity, secure));
    Caller.bind(identity.caller());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Caller.unbind();
  }

  private static String stripSlash(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** The roles of the matched operation: the method's {@code @Allowed}, else its class's. */
  private List<Role> allowedRoles() {
    Method method = resource == null ? null : resource.getResourceMethod();
    Allowed a = method == null ? null : method.getAnnotation(Allowed.class);
    if (a == null && resource != null && resource.getResourceClass() != null) {
      a = resource.getResourceClass().getAnnotation(Allowed.class);
    }
    return a == null ? List.of() : Arrays.asList(a.value());
  }

  private static jakarta.ws.rs.core.Response unauthorized(
      ContainerRequestContext request, String code, String message) {
    return ErrorResponses.error(
            request.getUriInfo(), 401, "invalid_request_error", code, null, message)
        .header(HttpHeaders.WWW_AUTHENTICATE, WWW_AUTHENTICATE)
        .build();
  }

  /** The principal of an authenticated request: its name, and the whole {@link Identity}. */
  public record IdentityPrincipal(Identity identity) implements Principal {
    @Override
    public String getName() {
      return identity.principal();
    }
  }

  private record IdentitySecurityContext(Identity identity, boolean secure)
      implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return new IdentityPrincipal(identity);
    }

    @Override
    public boolean isUserInRole(String role) {
      return Role.named(role).map(identity::has).orElse(false);
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "api-key".equals(identity.method()) || "jwt".equals(identity.method())
          ? "Bearer"
          : SecurityContext.BASIC_AUTH;
    }
  }

  /** The identity of a request that passed this filter. */
  public static Identity identityOf(SecurityContext context) {
    return ((IdentityPrincipal) context.getUserPrincipal()).identity();
  }
}
