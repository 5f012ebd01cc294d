package dev.warden.gateway.api;

import dev.warden.config.Jsonp;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/me}: who Warden thinks the caller is (principal, tenant, roles, API key, method). */
@Path("/api/me")
@RequestScoped
public class MeResource {

  @Context SecurityContext security;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Allowed({Role.AI_USER, Role.AUDITOR, Role.AUDITOR_ALL_TENANTS, Role.ADMIN, Role.KEY_DELEGATE})
  @Operation(
      summary = "Who am I",
      description =
          "The authenticated caller as Warden sees it: principal, tenant, roles, the API key id"
              + " when a key was used, and how it authenticated (api-key, jwt, basic, console). Any role; an"
              + " identity holding none (a JWT whose groups map to no role) gets 403 no_role.")
  public JsonObject me() {
    Identity me = AccessFilter.identityOf(security);
    var o =
        Jsonp.createObjectBuilder()
            .add("principal", me.principal())
            .add("tenant", me.tenant())
            .add(
                "roles",
                Jsonp.createArrayBuilder(me.roles().stream().map(Role::wireName).sorted().toList()))
            .add("authenticated_by", me.method());
    if (me.apiKeyId() == null) {
      o.addNull("api_key_id");
    } else {
      o.add("api_key_id", me.apiKeyId());
    }
    return o.build();
  }
}
