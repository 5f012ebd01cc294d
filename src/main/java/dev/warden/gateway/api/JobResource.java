package dev.warden.gateway.api;

import dev.warden.ai.job.Job;
import dev.warden.ai.job.Jobs;
import dev.warden.ai.job.NoSuchJobException;
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
 * The status of the caller's own background jobs ({@code /api/jobs}, role {@code ai-user}): those
 * whose owner is the authenticated principal. Another user's job answers 404, exactly like a
 * missing one, so ids cannot be probed. The status is the row as of the last poll; the result stays
 * with the upstream and is read through {@link Jobs#result}.
 */
@Path("/api/jobs")
@Allowed(Role.AI_USER)
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

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
    JsonArrayBuilder data = Json.createArrayBuilder();
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
      throw new ProblemException(404, "not_found", "no job " + id);
    }
  }

  private String owner() {
    return AccessFilter.identityOf(security).principal();
  }

  static JsonObject view(Job j) {
    JsonObjectBuilder o =
        Json.createObjectBuilder()
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
