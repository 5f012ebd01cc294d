package dev.warden.openai;

import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ConversationItemsRequest;
import dev.warden.openai.model.CreateBatchRequest;
import dev.warden.openai.model.CreateConversationRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import dev.warden.openai.model.UpdateConversationRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The OpenAI HTTP API as a MicroProfile REST Client interface: wire protocol only.
 *
 * <p>Every method returns the raw {@link Response} so that the transport can read the entity and
 * the headers ({@code x-request-id}, {@code retry-after}) of successes and failures alike. Error
 * statuses are turned into {@link dev.warden.openai.error.OpenAiException}s by {@link
 * dev.warden.openai.internal.OpenAiResponseExceptionMapper}. Nothing here retries; see {@link
 * dev.warden.ai.ResilientOpenAi}.
 *
 * <p>Authentication, organization and project headers are added by a request filter; methods that
 * create something take the {@code Idempotency-Key} that stays the same across the retries of one
 * call. Streams ({@code stream: true}) are opened by {@link OpenAiTransport} with Apache HttpClient
 * instead, because a REST client response cannot be aborted mid-body.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface OpenAiApi {

  String IDEMPOTENCY_KEY = "Idempotency-Key";

  @POST
  @Path("/chat/completions")
  Response createChatCompletion(
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, ChatCompletionRequest request);

  @POST
  @Path("/responses")
  Response createResponse(
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, CreateResponseRequest request);

  @GET
  @Path("/responses/{id}")
  Response retrieveResponse(@PathParam("id") String responseId);

  @DELETE
  @Path("/responses/{id}")
  Response deleteResponse(@PathParam("id") String responseId);

  @POST
  @Path("/responses/{id}/cancel")
  Response cancelResponse(@PathParam("id") String responseId);

  @GET
  @Path("/responses/{id}/input_items")
  Response listInputItems(
      @PathParam("id") String responseId,
      @QueryParam("after") String after,
      @QueryParam("limit") Integer limit,
      @QueryParam("order") String order);

  @POST
  @Path("/conversations")
  Response createConversation(
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, CreateConversationRequest request);

  @GET
  @Path("/conversations/{id}")
  Response retrieveConversation(@PathParam("id") String conversationId);

  @POST
  @Path("/conversations/{id}")
  Response updateConversation(
      @PathParam("id") String conversationId, UpdateConversationRequest request);

  @DELETE
  @Path("/conversations/{id}")
  Response deleteConversation(@PathParam("id") String conversationId);

  @POST
  @Path("/conversations/{id}/items")
  Response createConversationItems(
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
      @PathParam("id") String conversationId,
      ConversationItemsRequest request);

  @GET
  @Path("/conversations/{id}/items")
  Response listConversationItems(
      @PathParam("id") String conversationId,
      @QueryParam("after") String after,
      @QueryParam("limit") Integer limit,
      @QueryParam("order") String order);

  @GET
  @Path("/conversations/{id}/items/{item}")
  Response retrieveConversationItem(
      @PathParam("id") String conversationId, @PathParam("item") String itemId);

  @DELETE
  @Path("/conversations/{id}/items/{item}")
  Response deleteConversationItem(
      @PathParam("id") String conversationId, @PathParam("item") String itemId);

  @POST
  @Path("/embeddings")
  Response createEmbedding(
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, EmbeddingRequest request);

  @GET
  @Path("/models")
  Response listModels();

  @GET
  @Path("/files")
  Response listFiles(
      @QueryParam("purpose") String purpose,
      @QueryParam("limit") Integer limit,
      @QueryParam("order") String order,
      @QueryParam("after") String after);

  @GET
  @Path("/files/{id}")
  Response retrieveFile(@PathParam("id") String fileId);

  @DELETE
  @Path("/files/{id}")
  Response deleteFile(@PathParam("id") String fileId);

  @GET
  @Path("/files/{id}/content")
  @Produces(MediaType.WILDCARD)
  Response retrieveFileContent(@PathParam("id") String fileId);

  @POST
  @Path("/batches")
  Response createBatch(
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, CreateBatchRequest request);

  @GET
  @Path("/batches/{id}")
  Response retrieveBatch(@PathParam("id") String batchId);

  @POST
  @Path("/batches/{id}/cancel")
  Response cancelBatch(@PathParam("id") String batchId);

  @GET
  @Path("/batches")
  Response listBatches(@QueryParam("after") String after, @QueryParam("limit") Integer limit);
}
