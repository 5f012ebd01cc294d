package dev.warden.gateway.api;

import dev.warden.audit.log.AuditWriter;
import dev.warden.call.KeyScope;
import dev.warden.config.Jsonp;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.ApiKey;
import dev.warden.gateway.identity.ApiKeySpec;
import dev.warden.gateway.identity.ApiKeys;
import dev.warden.gateway.identity.Identity;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Warden API key management ({@code /api/keys}), for admins only. A key is shown once, in the
 * answer to its creation; afterwards only its id and hint ({@code wk_<id>_…}) are. A key acts as
 * its owner, so creating one owned by another principal also needs {@code key-delegate}.
 */
@Path("/api/keys")
@Allowed(Role.ADMIN)
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

  static final Set<String> FIELDS =
      Set.of(
          "name",
          "owner",
          "tenant",
          "models",
          "daily_budget_usd",
          "monthly_budget_usd",
          "requests_per_minute",
          "tokens_per_minute",
          "expires_at");

  @Inject ApiKeys keys;
  @Inject AuditWriter audit;

  @Context SecurityContext security;

  /** Creates a key; the answer holds the key itself, which is never shown again. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Create a Warden API key",
      description =
          "Creates an API key for a principal (owner) and tenant, scoped to models (empty: any),"
              + " optional daily and monthly budgets in USD and rate limits per minute, expiring at"
              + " expires_at (default: warden.identity.api-key.default-lifetime). The answer (201)"
              + " holds the key itself, shown only this once; Warden keeps its SHA-256. Recorded in"
              + " the audit log, naming the admin and the owner. Role admin; a key owned by another"
              + " principal than the caller also needs the role key-delegate (403 otherwise).")
  public Response create(JsonObject body) {
    if (body == null) {
      throw new ProblemException(400, "invalid_body", "a JSON object is required");
    }
    for (String name : body.keySet()) {
      if (!FIELDS.contains(name)) {
        throw ProblemException.badParameter(name, "unknown field; known: " + FIELDS);
      }
    }
    Identity me = AccessFilter.identityOf(security);
    String owner = string(body, "owner");
    if (owner == null || owner.isBlank()) {
      throw ProblemException.badParameter("owner", "required: the principal the key acts as");
    }
    if (!owner.strip().equals(me.principal()) && !me.has(Role.KEY_DELEGATE)) {
      // a key acts as its owner: one for somebody else reads that principal's stored objects
      throw new ProblemException(
          403,
          "permission_denied",
          "Creating a key owned by another principal needs the role key-delegate; without it an"
              + " admin creates keys owned by itself only");
    }
    Set<String> models = new LinkedHashSet<>();
    JsonValue m = body.get("models");
    if (m != null && m.getValueType() != JsonValue.ValueType.NULL) {
      if (m.getValueType() != JsonValue.ValueType.ARRAY) {
        throw ProblemException.badParameter("models", "must be an array of model names");
      }
      for (JsonValue v : m.asJsonArray()) {
        if (!(v instanceof JsonString s) || s.getString().isBlank()) {
          throw ProblemException.badParameter("models", "must be an array of model names");
        }
        models.add(s.getString().strip());
      }
    }
    KeyScope scope =
        new KeyScope(
            models,
            decimal(body, "daily_budget_usd"),
            decimal(body, "monthly_budget_usd"),
            whole(body, "requests_per_minute"),
            whole(body, "tokens_per_minute"));
    Instant expires = null;
    String e = string(body, "expires_at");
    if (e != null) {
      try {
        expires = Instant.parse(e);
      } catch (DateTimeParseException ex) {
        throw ProblemException.badParameter(
            "expires_at", "an ISO-8601 instant such as 2027-01-31T00:00:00Z");
      }
    }
    ApiKeys.Created created;
    try {
      created =
          keys.create(
              new ApiKeySpec(
                  string(body, "name"), owner.strip(), string(body, "tenant"), scope, expires),
              me.principal());
    } catch (IllegalArgumentException ex) {
      throw new ProblemException(400, "invalid_parameter", ex.getMessage());
    }
    // names both: the admin as the record's principal and created_by, the key's owner and tenant
    audit.recordAccess(
        AuditWriter.KEY_CREATE,
        me.caller(),
        Map.of(
            "key_id",
            created.key().id(),
            "owner",
            created.key().owner(),
            "tenant",
            created.key().tenant(),
            "created_by",
            me.principal(),
            "delegated",
            !created.key().owner().equals(me.principal())));
    JsonObject json =
        Jsonp.createObjectBuilder(view(created.key()))
            .add("key", created.secret())
            .add("note", "Store this key now: Warden keeps only its hash and never shows it again.")
            .build();
    return Response.status(201).entity(json).build();
  }

  /** The keys, newest first; {@code owner} filters, {@code include_revoked} adds revoked ones. */
  @GET
  @Operation(
      summary = "List Warden API keys",
      description =
          "The API keys, newest first, paginated (offset, limit), optionally of one owner;"
              + " revoked keys only with include_revoked=true. Never a secret: id, hint, scope,"
              + " owner, tenant, times. Role admin.")
  public JsonObject list(
      @QueryParam("owner") String owner,
      @QueryParam("include_revoked") @DefaultValue("false") boolean includeRevoked,
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("50") int limit) {
    Page page = Page.of(offset, limit);
    List<ApiKey> found =
        keys.list(
            owner == null || owner.isBlank() ? null : owner,
            includeRevoked,
            page.offset(),
            page.limit() + 1);
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
    found.stream().limit(page.limit()).forEach(k -> data.add(view(k)));
    return page.wrap(data, found.size() > page.limit());
  }

  @GET
  @Path("/{id}")
  @Operation(
      summary = "Read one Warden API key",
      description =
          "One API key's id, hint, scope, owner, tenant and times; 404 if unknown. Role admin.")
  public JsonObject get(@PathParam("id") String id) {
    return view(keys.find(id).orElseThrow(() -> notFound(id)));
  }

  /** Revokes a key at once on this server, within the key cache's TTL on the others. */
  @DELETE
  @Path("/{id}")
  @Operation(
      summary = "Revoke a Warden API key",
      description =
          "Revokes the key at once on this server and within warden.identity.api-key.cache-ttl on"
              + " the others; idempotent (the first revocation is kept). Recorded in the audit log."
              + " Role admin.")
  public JsonObject revoke(@PathParam("id") String id) {
    ApiKey revoked =
        keys.revoke(id, AccessFilter.identityOf(security).principal())
            .orElseThrow(() -> notFound(id));
    audit.recordAccess(
        AuditWriter.KEY_REVOKE, AccessFilter.identityOf(security).caller(), Map.of("key_id", id));
    return view(revoked);
  }

  static JsonObject view(ApiKey k) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add("id", k.id())
            .add("hint", k.hint())
            .add("name", k.name())
            .add("owner", k.owner())
            .add("tenant", k.tenant())
            .add("models", Jsonp.createArrayBuilder(List.copyOf(k.scope().models())))
            .add("created_by", k.createdBy())
            .add("created_at", k.createdAt().toString())
            .add("active", k.activeAt(Instant.now()));
    JsonFields.nullable(o, "daily_budget_usd", k.scope().dailyBudget());
    JsonFields.nullable(o, "monthly_budget_usd", k.scope().monthlyBudget());
    JsonFields.nullable(o, "requests_per_minute", k.scope().requestsPerMinute());
    JsonFields.nullable(o, "tokens_per_minute", k.scope().tokensPerMinute());
    JsonFields.nullable(o, "expires_at", k.expiresAt());
    JsonFields.nullable(o, "revoked_at", k.revokedAt());
    JsonFields.nullable(o, "revoked_by", k.revokedBy());
    JsonFields.nullable(o, "last_used_at", k.lastUsedAt());
    return o.build();
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(404, "not_found", "no API key " + id);
  }

  private static String string(JsonObject body, String name) {
    JsonValue v = body.get(name);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (!(v instanceof JsonString s)) {
      throw ProblemException.badParameter(name, "must be a string");
    }
    return s.getString();
  }

  private static BigDecimal decimal(JsonObject body, String name) {
    JsonValue v = body.get(name);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    try {
      BigDecimal d =
          v instanceof JsonNumber n
              ? n.bigDecimalValue()
              : new BigDecimal(((JsonString) v).getString());
      if (d.signum() < 0) {
        throw ProblemException.badParameter(name, "must not be negative");
      }
      return d;
    } catch (ClassCastException | NumberFormatException e) {
      throw ProblemException.badParameter(name, "must be a decimal amount in USD");
    }
  }

  private static Long whole(JsonObject body, String name) {
    JsonValue v = body.get(name);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (!(v instanceof JsonNumber n) || !n.isIntegral() || n.longValue() <= 0) {
      throw ProblemException.badParameter(name, "must be a positive whole number");
    }
    return n.longValue();
  }
}
