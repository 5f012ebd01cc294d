package dev.warden.gateway.api;

import dev.warden.ai.conversation.ConcurrentTurnException;
import dev.warden.ai.conversation.Conversation;
import dev.warden.ai.conversation.Conversations;
import dev.warden.ai.conversation.NoSuchConversationException;
import dev.warden.ai.conversation.Turn;
import dev.warden.config.Jsonp;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The caller's own conversations ({@code /api/conversations}, role {@code ai-user}), as {@link
 * Conversations} offers them to injected code: start, list, read, send a turn, delete. A
 * conversation belongs to the authenticated principal. Another user's conversation answers 404,
 * exactly like a missing one, so ids cannot be probed. Warden keeps no message text (the upstream
 * stores the turns), so a conversation is its metadata and turn count.
 */
@Path("/api/conversations")
@Allowed(Role.AI_USER)
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

  private static final Set<String> START_FIELDS = Set.of("model");
  private static final Set<String> TURN_FIELDS = Set.of("text");

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
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
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
    return view(conversations.find(id, owner()).orElseThrow(() -> notFound(id)));
  }

  /** Starts a conversation owned by the caller; 201 with it and its location. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Start a conversation",
      description =
          "Starts a conversation with model, owned by the authenticated principal. 201 with the"
              + " conversation and its Location; send turns to /api/conversations/{id}/turns."
              + " Role ai-user.")
  public Response start(JsonObject request) {
    JsonObject body = ApiBody.of(request, START_FIELDS);
    Conversation c =
        conversations.start(owner(), ApiBody.requiredString(body, "model", "the model to talk to"));
    return Response.status(201)
        .header("Location", "/api/conversations/" + c.id())
        .entity(view(c))
        .build();
  }

  /** Sends the next turn of one of the caller's conversations and answers the model's reply. */
  @POST
  @Path("/{id}/turns")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Send the next turn of one of your conversations",
      description =
          "Sends text as the next turn, through the same governed path as every call (redaction,"
              + " admission, budgets, audit), with the conversation's earlier turns as context (the"
              + " upstream keeps them). Answers the turn: its number, the reply text (placeholders"
              + " restored), the stored response id, whether the oldest turns were truncated, the"
              + " call's request id and, when the earlier turns were summarised first, the summary"
              + " call's request id (summary_request_id). 404 when there is no such conversation or it belongs to"
              + " someone else; 409 concurrent_turn when another turn was answered meanwhile."
              + " Role ai-user.")
  public JsonObject turn(@PathParam("id") String id, JsonObject request) {
    JsonObject body = ApiBody.of(request, TURN_FIELDS);
    String text = ApiBody.requiredString(body, "text", "the next message");
    Turn t;
    try {
      t = conversations.say(id, owner(), text);
    } catch (NoSuchConversationException e) {
      throw notFound(id);
    } catch (ConcurrentTurnException e) {
      throw new ProblemException(
          409,
          "concurrent_turn",
          "another turn of conversation " + id + " was answered meanwhile; read it and retry");
    }
    JsonObjectBuilder answer =
        Jsonp.createObjectBuilder()
            .add("object", "conversation.turn")
            .add("conversation_id", id)
            .add("number", t.number())
            .add("text", t.text() == null ? "" : t.text())
            .add("response_id", t.responseId())
            .add("truncated", t.truncated())
            .add("request_id", t.requestId());
    JsonFields.nullable(answer, "summary_request_id", t.summaryRequestId());
    return answer.build();
  }

  /** Forgets one of the caller's conversations. */
  @DELETE
  @Path("/{id}")
  @Operation(
      summary = "Delete one of your conversations",
      description =
          "Forgets the conversation (the upstream's stored responses expire on their own). 204;"
              + " 404 when there is no such conversation or it belongs to someone else. Role"
              + " ai-user.")
  public Response delete(@PathParam("id") String id) {
    try {
      conversations.delete(id, owner());
    } catch (NoSuchConversationException e) {
      throw notFound(id);
    }
    return Response.noContent().build();
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(404, "not_found", "no conversation " + id);
  }

  private String owner() {
    return AccessFilter.identityOf(security).principal();
  }

  static JsonObject view(Conversation c) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add("id", c.id())
            .add("object", "conversation")
            .add("model", c.model())
            .add("turns", c.turns())
            .add("truncating", c.truncating())
            .add("summaries", c.summaries())
            .add("created_at", c.createdAt().toString())
            .add("updated_at", c.updatedAt().toString());
    JsonFields.nullable(o, "last_response_id", c.lastResponseId());
    return o.build();
  }
}
