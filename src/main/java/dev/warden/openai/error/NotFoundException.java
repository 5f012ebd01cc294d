package dev.warden.openai.error;

/** 404: unknown model, response, file or batch. */
public class NotFoundException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
