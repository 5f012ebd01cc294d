package dev.warden.gateway.api;

import dev.warden.ai.Answer;
import dev.warden.ai.ConversationObjects;
import dev.warden.call.EntryPoint;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import dev.warden.openai.model.ConversationItemsRequest;
import dev.warden.openai.model.CreateConversationRequest;
import dev.warden.openai.model.UpdateConversationRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OpenAI's Conversations API under {@code /v1/conversations}, for OpenAI SDKs: each operation is a
 * call of the pipeline ({@link ConversationObjects}) with its audit record. What goes into a
 * conversation is redacted, what comes out is restored for its owner; another principal's
 * conversation answers 404 like one that does not exist, before any upstream call. Responses join a
 * conversation with {@code conversation} on {@code POST /v1/responses}.
 */
@Path("/v1/conversations")
@Allowed(Role.AI_USER)
@Tag(name = "OpenAI-compatible")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class V1ConversationsResource {

  @Inject ConversationObjects conversations;

  @Operation(
      summary = "Create a conversation",
      description =
          "OpenAI's Conversations API: a conversation with optional metadata and up to 20 initial items. Personal data in the items and metadata is replaced by placeholders before it leaves (a vault is kept for the conversation) and content is screened like the input of a response. The conversation belongs to the caller: other principals get 404 for it.")
  @POST
  public Response create(CreateConversationRequest request) {
    return ok(conversations.create(EntryPoint.V1, request));
  }

  @Operation(
      summary = "Retrieve a conversation",
      description =
          "One of the caller's conversations, its metadata restored. Another principal's conversation, or one created outside Warden, answers 404 like an id that does not exist.")
  @GET
  @Path("/{id}")
  public Response retrieve(@PathParam("id") String id) {
    return ok(conversations.retrieve(EntryPoint.V1, id));
  }

  @Operation(
      summary = "Update a conversation",
      description =
          "Replaces the metadata of one of the caller's conversations; the values are redacted like its items.")
  @POST
  @Path("/{id}")
  public Response update(@PathParam("id") String id, UpdateConversationRequest request) {
    return ok(conversations.update(EntryPoint.V1, id, request));
  }

  @Operation(
      summary = "Delete a conversation",
      description =
          "Deletes one of the caller's conversations upstream and Warden's placeholder vault for it.")
  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("id") String id) {
    return ok(conversations.delete(EntryPoint.V1, id));
  }

  @Operation(
      summary = "List a conversation's items",
      description =
          "The items of one of the caller's conversations, paginated (after, limit 1 to 100, order asc or desc), placeholders restored to the original values.")
  @GET
  @Path("/{id}/items")
  public Response listItems(
      @PathParam("id") String id,
      @QueryParam("after") String after,
      @QueryParam("limit") Integer limit,
      @QueryParam("order") String order) {
    return ok(conversations.listItems(EntryPoint.V1, id, after, limit, order));
  }

  @Operation(
      summary = "Add items to a conversation",
      description =
          "Adds up to 20 items to one of the caller's conversations, redacted with the conversation's placeholders and screened like the input of a response; answers the added items, restored.")
  @POST
  @Path("/{id}/items")
  public Response addItems(@PathParam("id") String id, ConversationItemsRequest request) {
    return ok(conversations.addItems(EntryPoint.V1, id, request));
  }

  @Operation(
      summary = "Retrieve a conversation item",
      description = "One item of one of the caller's conversations, placeholders restored.")
  @GET
  @Path("/{id}/items/{item_id}")
  public Response item(@PathParam("id") String id, @PathParam("item_id") String itemId) {
    return ok(conversations.item(EntryPoint.V1, id, itemId));
  }

  @Operation(
      summary = "Delete a conversation item",
      description =
          "Deletes one item of one of the caller's conversations; answers the conversation.")
  @DELETE
  @Path("/{id}/items/{item_id}")
  public Response deleteItem(@PathParam("id") String id, @PathParam("item_id") String itemId) {
    return ok(conversations.deleteItem(EntryPoint.V1, id, itemId));
  }

  /** The answer with Warden's headers, as {@code /v1} answers every call. */
  private static Response ok(Answer<?> answer) {
    return V1Resource.ok(answer);
  }
}
