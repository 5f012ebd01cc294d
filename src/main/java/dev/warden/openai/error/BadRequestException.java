package dev.warden.openai.error;

/** 400: the request is invalid ({@code param} names the field when OpenAI says). */
public class BadRequestException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
