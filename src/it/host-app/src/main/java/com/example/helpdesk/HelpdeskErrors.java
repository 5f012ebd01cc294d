package com.example.helpdesk;

import dev.warden.openai.error.OpenAiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** The helpdesk's own error format: {@code {"message": ..., "status": ...}}. */
@Provider
public class HelpdeskErrors implements ExceptionMapper<Exception> {

  @Override
  public Response toResponse(Exception e) {
    int status;
    String message;
    if (e instanceof OpenAiException ai) {
      // Warden's refusals and upstream failures: budget (429), upstream down (5xx), ...
      status = ai.status();
      message = "The assistant cannot answer now: " + ai.getMessage();
    } else if (e instanceof WebApplicationException web) {
      status = web.getResponse().getStatus();
      message = "Not possible here: " + web.getMessage();
    } else {
      status = 500;
      message = "Something went wrong in the helpdesk";
    }
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("message", message, "status", status))
        .build();
  }
}
