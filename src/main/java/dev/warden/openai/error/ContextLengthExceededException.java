package dev.warden.openai.error;

/**
 * 400 {@code context_length_exceeded}: the prompt plus the requested output do not fit the model's
 * context window.
 */
public class ContextLengthExceededException extends BadRequestException {
  private static final long serialVersionUID = 1L;

  public ContextLengthExceededException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
