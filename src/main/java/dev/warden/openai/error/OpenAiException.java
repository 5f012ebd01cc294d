package dev.warden.openai.error;

import java.time.Duration;
import java.util.Optional;

/**
 * Root of every failure of a call to the OpenAI API (or an OpenAI-compatible server).
 *
 * <p>Unchecked. Whether a failure is worth retrying is part of its type: {@link
 * RetriableOpenAiException} or {@link NonRetriableOpenAiException}. Carries the HTTP status (0 when
 * no response was received), OpenAI's error {@code type}, {@code code} and {@code param}, the
 * upstream {@code x-request-id}, and the server's {@code Retry-After} hint when there was one. The
 * message never contains the API key or the request body.
 */
public abstract class OpenAiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final String requestId;
  private final Duration retryAfter;

  protected OpenAiException(ErrorInfo info, Throwable cause) {
    super(info.message(), cause);
    this.status = info.status();
    this.type = info.type();
    this.code = info.code();
    this.param = info.param();
    this.requestId = info.requestId();
    this.retryAfter = info.retryAfter();
  }

  /** Whether another attempt of the same request may succeed. */
  public abstract boolean isRetriable();

  /** HTTP status of the upstream answer, or 0 when none arrived (connection failure, timeout). */
  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  public String requestId() {
    return requestId;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
