package dev.warden.openai.internal;

import dev.warden.openai.error.OpenAiErrors;
import dev.warden.openai.error.OpenAiException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns every upstream status of 400 and above into an {@link OpenAiException} before the REST
 * client returns. Registered on each client the transport builds.
 */
public final class OpenAiResponseExceptionMapper
    implements ResponseExceptionMapper<OpenAiException> {

  private final Clock clock;

  public OpenAiResponseExceptionMapper(Clock clock) {
    this.clock = clock;
  }

  @Override
  public boolean handles(int status, MultivaluedMap<String, Object> headers) {
    return status >= 400;
  }

  @Override
  public OpenAiException toThrowable(Response response) {
    String body = response.hasEntity() ? response.readEntity(String.class) : "";
    return OpenAiErrors.fromResponse(
        response.getStatus(), body, response::getHeaderString, clock.instant());
  }
}
