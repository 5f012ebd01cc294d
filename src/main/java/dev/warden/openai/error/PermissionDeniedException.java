package dev.warden.openai.error;

/** 403: the key may not use this model, organization, project or region. */
public class PermissionDeniedException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
