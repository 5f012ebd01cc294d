package dev.warden.call.refusal;

import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NonRetriableOpenAiException;
import java.time.Duration;

/**
 * A call Warden itself refused or ended (a policy, a budget, a limit, a failed check), as opposed
 * to a failure of the upstream. Never retried and never answered by a fallback model. Its status,
 * type, code, param and message are exactly what {@code /v1} answers with.
 */
public abstract class WardenRefusal extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  protected WardenRefusal(
      int status,
      String type,
      String code,
      String param,
      String message,
      Duration retryAfter,
      Throwable cause) {
    super(new ErrorInfo(status, message, type, code, param, null, retryAfter), cause);
  }
}
