package dev.warden.openai.error;

import java.time.Duration;

/**
 * What is known about one failed upstream exchange: status, OpenAI's error fields, the upstream
 * request id and the server's retry hint. {@code status} is 0 when no response arrived.
 */
public record ErrorInfo(
    int status,
    String message,
    String type,
    String code,
    String param,
    String requestId,
    Duration retryAfter) {

  public static ErrorInfo of(int status, String message) {
    return new ErrorInfo(status, message, null, null, null, null, null);
  }

  public static ErrorInfo transport(String message) {
    return new ErrorInfo(0, message, null, null, null, null, null);
  }
}
