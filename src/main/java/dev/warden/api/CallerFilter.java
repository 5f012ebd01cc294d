package dev.warden.api;

import dev.warden.ai.Caller;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;

/**
 * Tells the pipeline who is calling over HTTP: the JAX-RS {@code SecurityContext}'s principal, when
 * the server authenticated one, is bound as the {@link Caller} (tenant {@code default}, no API key)
 * for the request's thread, and unbound when the response is written. Without a principal the call
 * is {@link Caller#ANONYMOUS}. Identity (#8) replaces this with principals, tenants and API keys.
 */
@Provider
public class CallerFilter implements ContainerRequestFilter, ContainerResponseFilter {

  @Override
  public void filter(ContainerRequestContext request) {
    Principal principal =
        request.getSecurityContext() == null
            ? null
            : request.getSecurityContext().getUserPrincipal();
    if (principal != null && principal.getName() != null) {
      Caller.bind(Caller.of(principal.getName()));
    } else {
      Caller.unbind();
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Caller.unbind();
  }
}
