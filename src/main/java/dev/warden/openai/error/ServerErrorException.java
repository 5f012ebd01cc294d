package dev.warden.openai.error;

/** 5xx from the upstream (500, 502, 503 overloaded, 504). */
public class ServerErrorException extends RetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public ServerErrorException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
