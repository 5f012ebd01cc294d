package dev.warden.gateway.api;

import dev.warden.ai.Pipeline;
import dev.warden.call.EntryPoint;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import dev.warden.openai.model.CreateBatchRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
 * OpenAI's Batch API under {@code /v1}: a batch of a batch input file uploaded through {@code /v1},
 * admitted on the caller's budgets from that file's requests; the caller reaches only its own
 * batches.
 */
@Path("/v1/batches")
@Allowed(Role.AI_USER)
@Tag(name = "OpenAI-compatible")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class V1BatchesResource {

  @Inject Pipeline pipeline;

  @Operation(
      summary = "Create a batch",
      description =
          "OpenAI's batch creation from a batch input file uploaded through Warden's /v1 by the same principal (else 404 for another's file, 400 for a file not uploaded as a batch input through /v1); endpoint must be the url of the file's lines. The worst case of all its requests is reserved on the caller's budgets at the Batch API's price (429 budget_exceeded when it does not fit) and settled at the usage the batch reports once it has ended.")
  @POST
  public Response create(CreateBatchRequest request) {
    return V1Resource.ok(pipeline.createBatch(EntryPoint.V1, request));
  }

  @Operation(
      summary = "Retrieve a batch",
      description =
          "A batch of the caller's; its output and error files become the caller's, restored on reading. Seeing it ended settles its reservation.")
  @GET
  @Path("/{id}")
  public Response retrieve(@PathParam("id") String id) {
    return V1Resource.ok(pipeline.retrieveBatch(EntryPoint.V1, id));
  }

  @Operation(
      summary = "Cancel a batch",
      description = "Cancels a batch of the caller's; another principal's batch answers 404.")
  @POST
  @Path("/{id}/cancel")
  public Response cancel(@PathParam("id") String id) {
    return V1Resource.ok(pipeline.cancelBatch(EntryPoint.V1, id));
  }

  @Operation(
      summary = "List batches",
      description =
          "The caller's own batches (after, limit 1 to 100); a page may hold fewer than limit batches.")
  @GET
  public Response list(@QueryParam("after") String after, @QueryParam("limit") Integer limit) {
    return V1Resource.ok(pipeline.listBatches(EntryPoint.V1, after, limit));
  }
}
