package dev.warden.gateway.identity;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles that may use a JAX-RS resource class or method (any one of them suffices); a method's
 * annotation replaces its class's. Enforced by {@code api.AccessFilter} for {@code /v1} and {@code
 * /api}: a resource method without one is refused to everybody (deny by default).
 *
 * <p>Warden's own annotation rather than {@code @RolesAllowed}: identities come from three
 * mechanisms (development registry, JWT, API keys) that Warden authenticates itself, and Liberty
 * would otherwise enforce {@code @RolesAllowed} against its own, empty, security subject.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Allowed {
  Role[] value();
}
