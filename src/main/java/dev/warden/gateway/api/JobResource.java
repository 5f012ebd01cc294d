package dev.warden.gateway.api;

import dev.warden.ai.job.Job;
import dev.warden.ai.job.Jobs;
import dev.warden.ai.job.NoSuchJobException;
import dev.warden.config.Jsonp;
import dev.warden.gateway.identity.Allowed;
import dev.warden.gateway.identity.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
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
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The caller's own background jobs ({@code /api/jobs}, role {@code ai-user}), as {@link Jobs}
 * offers them to injected code: submit, list, status, result, cancel. A job belongs to the
 * authenticated principal; another user's job answers 404, exactly like a missing one, so ids
 * cannot be probed. The status is the row as of the last poll; the result stays with the upstream
 * and is read from it when asked for.
 */
@Path("/api/jobs")
@Allowed(Role.AI_USER)
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

  private static final Set<String> SUBMIT_FIELDS = Set.of("model", "input");

  @Inject Jobs jobs;

  @Context SecurityContext security;

  /** The caller's jobs, newest first, paginated. */
  @GET
  @Operation(
      summary = "List your background jobs",
      description =
          "The background jobs owned by the authenticated principal, newest first, paginated"
              + " (offset, limit): id, model, status (queued, in_progress, completed, failed,"
              + " cancelled, incomplete) as of the last poll, whether it has ended, tokens so far,"
              + " error code, created and updated times. Role ai-user.")
  public JsonObject list(
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("50") int limit) {
    Page page = Page.of(offset, limit);
    List<Job> found = jobs.list(owner(), page.offset(), page.limit() + 1);
    JsonArrayBuilder data = Jsonp.createArrayBuilder();
    found.stream().limit(page.limit()).forEach(j -> data.add(view(j)));
    return page.wrap(data, found.size() > page.limit());
  }

  /** One of the caller's jobs; 404 when it is missing or another user's. */
  @GET
  @Path("/{id}")
  @Operation(
      summary = "Read the status of one of your background jobs",
      description =
          "A background job owned by the authenticated principal, as of the last poll. 404 when"
              + " there is no such job or it belongs to someone else. Role ai-user.")
  public JsonObject get(@PathParam("id") String id) {
    try {
      return view(jobs.status(id, owner()));
    } catch (NoSuchJobException e) {
      throw notFound(id);
    }
  }

  /** Submits a background job owned by the caller; 201 with the job and its location. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Submit a background job",
      description =
          "Submits input (text) to model as a background Responses call owned by the"
              + " authenticated principal, through the same governed path as every call (redaction,"
              + " admission, budgets, audit). 201 with the job (status queued or in_progress) and"
              + " its Location; poll it, read its result at /api/jobs/{id}/result, cancel it at"
              + " /api/jobs/{id}/cancel. Role ai-user.")
  public Response submit(JsonObject request) {
    JsonObject body = ApiBody.of(request, SUBMIT_FIELDS);
    String model = ApiBody.requiredString(body, "model", "the model to run the job on");
    String input = ApiBody.requiredString(body, "input", "the text to send");
    Job job = jobs.submit(owner(), model, input);
    return Response.status(201)
        .header("Location", "/api/jobs/" + job.id())
        .entity(view(job))
        .build();
  }

  /**
   * The job's result: 200 with its output text once completed, 202 with its status while it runs,
   * 409 when it ended without one.
   */
  @GET
  @Path("/{id}/result")
  @Operation(
      summary = "Read the result of one of your background jobs",
      description =
          "Asks the upstream for the job's state first. 200 with output_text (placeholders"
              + " restored) once it has completed; 202 with its status while it is queued or in"
              + " progress; 409 job_ended_without_result when it failed or was cancelled; 404 when"
              + " there is no such job or it belongs to someone else. Role ai-user.")
  public Response result(@PathParam("id") String id) {
    try {
      Optional<String> text = jobs.result(id, owner());
      Job job = jobs.status(id, owner());
      JsonObjectBuilder o = Jsonp.createObjectBuilder(view(job));
      if (text.isEmpty()) {
        return Response.status(202).entity(o.build()).build();
      }
      return Response.ok(o.add("output_text", text.get()).build()).build();
    } catch (NoSuchJobException e) {
      throw notFound(id);
    } catch (IllegalStateException e) {
      throw new ProblemException(
          409, "job_ended_without_result", "job " + id + " ended without a result");
    }
  }

  /** Cancels one of the caller's running jobs; a job that has ended stays as it is. */
  @POST
  @Path("/{id}/cancel")
  @Operation(
      summary = "Cancel one of your background jobs",
      description =
          "Cancels the job at the upstream if it is still queued or in progress and answers the"
              + " job as it is then; a job that has ended is answered unchanged. 404 when there is"
              + " no such job or it belongs to someone else. Role ai-user.")
  public JsonObject cancel(@PathParam("id") String id) {
    try {
      return view(jobs.cancel(id, owner()));
    } catch (NoSuchJobException e) {
      throw notFound(id);
    }
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(404, "not_found", "no job " + id);
  }

  private String owner() {
    return AccessFilter.identityOf(security).principal();
  }

  static JsonObject view(Job j) {
    JsonObjectBuilder o =
        Jsonp.createObjectBuilder()
            .add("id", j.id())
            .add("object", "job")
            .add("model", j.model())
            .add("status", j.status())
            .add("done", j.done())
            .add("input_tokens", j.tokensInput())
            .add("output_tokens", j.tokensOutput())
            .add("created_at", j.createdAt().toString())
            .add("updated_at", j.updatedAt().toString());
    JsonFields.nullable(o, "error_code", j.errorCode());
    return o.build();
  }
}
