package dev.warden.api;

import jakarta.json.Json;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a {@link ProblemException} (thrown only by {@code /api} resources) with {@code
 * application/problem+json}: {@code type} {@code about:blank}, {@code title} (the status phrase),
 * {@code status}, {@code detail} and {@code code}. {@code /v1} never throws it, so its OpenAI error
 * objects are unchanged.
 */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

  public static final String PROBLEM_JSON = "application/problem+json";

  @Override
  public Response toResponse(ProblemException e) {
    Response.Status s = Response.Status.fromStatusCode(e.status());
    return Response.status(e.status())
        .type(PROBLEM_JSON)
        .entity(
            Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", s == null ? "Error" : s.getReasonPhrase())
                .add("status", e.status())
                .add("detail", e.getMessage())
                .add("code", e.code())
                .build())
        .build();
  }
}
