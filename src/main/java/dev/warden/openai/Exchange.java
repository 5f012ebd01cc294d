package dev.warden.openai;

/**
 * One successful upstream exchange: the decoded body, the HTTP status, the upstream {@code
 * x-request-id} (null when the server sent none) and the name of the upstream that answered (null
 * when not known).
 */
public record Exchange<T>(T body, int status, String requestId, String upstream) {

  /** An exchange whose upstream is not named. */
  public Exchange(T body, int status, String requestId) {
    this(body, status, requestId, null);
  }
}
