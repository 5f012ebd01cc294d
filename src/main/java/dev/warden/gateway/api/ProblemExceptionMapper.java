package dev.warden.gateway.api;

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

  @Override
  public Response toResponse(ProblemException e) {
    return Response.status(e.status())
        .type(ErrorResponses.PROBLEM_JSON)
        .entity(ErrorResponses.problem(e.status(), e.code(), e.getMessage()))
        .build();
  }
}
