package dev.warden.gateway.api;

import dev.warden.ai.conversation.Conversation;
import dev.warden.ai.conversation.Conversations;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The caller's own conversations ({@code /api/conversations}, role {@code ai-user}): those whose
 * owner is the authenticated principal. Another user's conversation answers 404, exactly like a
 * missing one, so ids cannot be probed. Warden keeps no message text (the upstream stores the
 * turns), so a conversation is its metadata and turn count.
 */
@Path("/api/conversations")
@Allowed(Role.AI_USER)
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

  @Inject Conversations conversations;

  @Context SecurityContext security;

  /** The caller's conversations, most recently updated first, paginated. */
  @GET
  @Operation(
      summary = "List your conversations",
      description =
          "The conversations owned by the authenticated principal, most recently updated first,"
              + " paginated (offset, limit): id, model, number of turns, whether the upstream"
              + " truncates the oldest turns, the last stored response id, created and updated"
              + " times. Role ai-user.")
  public JsonObject list(
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("50") int limit) {
    Page page = Page.of(offset, limit);
    List<Conversation> found = conversations.list(owner(), page.offset(), page.limit() + 1);
    JsonArrayBuilder data = Json.createArrayBuilder();
    found.stream().limit(page.limit()).forEach(c -> data.add(view(c)));
    return page.wrap(data, found.size() > page.limit());
  }

  /** One of the caller's conversations; 404 when it is missing or another user's. */
  @GET
  @Path("/{id}")
  @Operation(
      summary = "Read one of your conversations",
      description =
          "A conversation owned by the authenticated principal: its metadata and turns summary"
              + " (count, last stored response id, truncation). 404 when there is no such"
              + " conversation or it belongs to someone else. Role ai-user.")
  public JsonObject get(@PathParam("id") String id) {
    return view(
        conversations
            .find(id, owner())
            .orElseThrow(() -> new ProblemException(404, "not_found", "no conversation " + id)));
  }

  private String owner() {
    return AccessFilter.identityOf(security).principal();
  }

  static JsonObject view(Conversation c) {
    JsonObjectBuilder o =
        Json.createObjectBuilder()
            .add("id", c.id())
            .add("object", "conversation")
            .add("model", c.model())
            .add("turns", c.turns())
            .add("truncating", c.truncating())
            .add("created_at", c.createdAt().toString())
            .add("updated_at", c.updatedAt().toString());
    JsonFields.nullable(o, "last_response_id", c.lastResponseId());
    return o.build();
  }
}
