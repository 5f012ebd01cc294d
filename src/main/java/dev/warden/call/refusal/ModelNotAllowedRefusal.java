package dev.warden.call.refusal;

/**
 * 403 {@code invalid_request_error}, code {@value #CODE}, param {@code model}: the caller's Warden
 * API key is not scoped to the model it asked for. Refused before any upstream call; the call is
 * audited as failed. The caller can fix it by choosing another model or asking an admin for a key
 * with a wider scope.
 */
public class ModelNotAllowedRefusal extends WardenRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "model_not_allowed";

  public ModelNotAllowedRefusal(String model) {
    super(
        403,
        "invalid_request_error",
        CODE,
        "model",
        "This API key is not allowed to use the model " + model,
        null,
        null);
  }
}
