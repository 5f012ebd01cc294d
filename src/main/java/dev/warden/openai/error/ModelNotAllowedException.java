package dev.warden.openai.error;

/**
 * 403: the caller's Warden API key is not scoped to the model it asked for. Refused before any
 * upstream call; the call is audited as failed. The caller can fix it by choosing another model or
 * asking an admin for a key with a wider scope.
 */
public class ModelNotAllowedException extends NonRetriableOpenAiException {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "model_not_allowed";

  public ModelNotAllowedException(String model) {
    super(
        new ErrorInfo(
            403,
            "This API key is not allowed to use the model " + model,
            "invalid_request_error",
            CODE,
            "model",
            null,
            null),
        null);
  }
}
