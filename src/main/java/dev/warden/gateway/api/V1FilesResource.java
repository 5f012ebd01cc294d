package dev.warden.gateway.api;

import dev.warden.ai.Answer;
import dev.warden.ai.BatchInput;
import dev.warden.ai.Pipeline;
import dev.warden.call.EntryPoint;
import dev.warden.config.ConfigProducer;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.model.ErrorDetail;
import dev.warden.openai.model.FileObject;
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
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OpenAI's Files API under {@code /v1}: uploads (multipart, within {@code
 * warden.http.max-body-bytes} for the request and {@code warden.files.max-bytes} for the file), a
 * batch input file checked and redacted line by line before it leaves ({@link BatchInput}); the
 * caller reaches only the files its principal created through Warden (and the output and error
 * files of its batches); content comes back with placeholders restored.
 */
@Path("/v1/files")
@Allowed(Role.AI_USER)
@Tag(name = "OpenAI-compatible")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class V1FilesResource {

  /** The purposes OpenAI accepts for an upload. */
  static final Set<String> PURPOSES =
      Set.of("assistants", "batch", "fine-tune", "vision", "user_data", "evals");

  private static final Set<String> PARTS = Set.of("file", "purpose");

  @Inject Pipeline pipeline;

  private final int maxDepth =
      ConfigProducer.settings().integer(RequestLimitsFilter.MAX_DEPTH, 64, 1);

  @Operation(
      summary = "Upload a file",
      description =
          "OpenAI's file upload (multipart/form-data with file and purpose). A batch input file (purpose batch) is checked line by line before anything leaves: each line is one request (custom_id, method POST, url /v1/chat/completions, /v1/responses or /v1/embeddings, body), all lines with the same url and model, each body validated as the call would be (unknown fields, types, ranges, models, the context window, the API key's model scope); a bad line answers 400 naming the line. Personal data in each body is replaced by placeholders recorded for the file, and restored when its owner reads the batch's output. Other purposes are accepted only as JSONL Warden can screen while redaction is on.")
  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Response upload(List<EntityPart> parts) throws IOException {
    String purpose = null;
    String filename = null;
    byte[] content = null;
    for (EntityPart part : parts == null ? List.<EntityPart>of() : parts) {
      String name = part.getName();
      if (!PARTS.contains(name)) {
        throw invalid("Unknown parameter: '" + name + "'.", name, "unknown_parameter");
      }
      try (InputStream in = part.getContent()) {
        byte[] bytes = in.readAllBytes();
        if (name.equals("purpose")) {
          purpose = new String(bytes, StandardCharsets.UTF_8).trim();
        } else {
          content = bytes;
          filename = part.getFileName().orElse("upload");
        }
      }
    }
    if (purpose == null) {
      throw invalid(
          "Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter");
    }
    if (content == null) {
      throw invalid("Missing required parameter: 'file'.", "file", "missing_required_parameter");
    }
    if (!PURPOSES.contains(purpose)) {
      throw invalid("Invalid value for 'purpose': '" + purpose + "'.", "purpose", "invalid_value");
    }
    Answer<FileObject> answer =
        purpose.equals("batch")
            ? pipeline.uploadBatchInput(EntryPoint.V1, filename, content, this::shape)
            : pipeline.uploadFile(EntryPoint.V1, filename, content, purpose);
    return V1Resource.ok(answer);
  }

  /** The checks {@link RequestLimitsFilter} makes on a JSON body, for one line of a batch file. */
  private ErrorInfo shape(String path, byte[] json) {
    if (RequestLimitsFilter.depthExceeds(json, maxDepth)) {
      return new ErrorInfo(
          400,
          "the JSON is nested deeper than " + maxDepth + " levels",
          "invalid_request_error",
          "json_too_deep",
          null,
          null,
          null);
    }
    ErrorDetail problem = RequestShape.forPath(path).check(json);
    return problem == null
        ? null
        : new ErrorInfo(
            400, problem.message(), problem.type(), problem.code(), problem.param(), null, null);
  }

  @Operation(
      summary = "List files",
      description =
          "The caller's own files (uploaded through Warden, and the output and error files of its batches), as OpenAI lists them (purpose, limit, order, after); a page may hold fewer than limit files.")
  @GET
  public Response list(
      @QueryParam("purpose") String purpose,
      @QueryParam("limit") Integer limit,
      @QueryParam("order") String order,
      @QueryParam("after") String after) {
    return V1Resource.ok(pipeline.listFiles(EntryPoint.V1, purpose, limit, order, after));
  }

  @Operation(
      summary = "Retrieve a file",
      description = "A file's object; another principal's file answers 404 like a missing id.")
  @GET
  @Path("/{id}")
  public Response retrieve(@PathParam("id") String id) {
    return V1Resource.ok(pipeline.retrieveFile(EntryPoint.V1, id));
  }

  @Operation(
      summary = "Delete a file",
      description = "Deletes a file upstream and Warden's placeholder vault for it.")
  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("id") String id) {
    return V1Resource.ok(pipeline.deleteFile(EntryPoint.V1, id));
  }

  @Operation(
      summary = "Retrieve a file's content",
      description =
          "The file's bytes with Warden's placeholders restored to their values, for its owner only (a batch's output and error files belong to the batch's owner).")
  @GET
  @Path("/{id}/content")
  @Produces(MediaType.WILDCARD) // OpenAI's SDKs ask for application/binary
  public Response content(@PathParam("id") String id) {
    Answer<byte[]> answer = pipeline.fileContent(EntryPoint.V1, id);
    Response.ResponseBuilder response =
        Response.ok(answer.body(), MediaType.APPLICATION_OCTET_STREAM_TYPE);
    V1Resource.wardenHeaders(
            answer.requestId(),
            answer.fallback(),
            answer.attempts(),
            answer.answeredBy(),
            answer.upstreamRequestId(),
            answer.upstream())
        .forEach(response::header);
    return response.build();
  }

  private static BadRequestException invalid(String message, String param, String code) {
    return new BadRequestException(
        new ErrorInfo(400, message, "invalid_request_error", code, param, null, null), null);
  }
}
