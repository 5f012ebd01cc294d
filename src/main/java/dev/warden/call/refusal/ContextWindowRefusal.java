package dev.warden.call.refusal;

/**
 * 400 {@code invalid_request_error}, code {@value #CODE}, the param that is too long: Warden
 * counted the prompt's tokens and the requested output, and they cannot fit the model's context
 * window, so nothing was sent upstream. The status, type, code and message are OpenAI's own for the
 * same mistake, so a caller sees the same error as from the upstream ({@link
 * dev.warden.openai.error.ContextLengthExceededException}); code that handles both (for example to
 * truncate and try again) catches both.
 */
public class ContextWindowRefusal extends AdmissionRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "context_length_exceeded";

  /**
   * @param window the model's context window, in tokens
   * @param input the tokens counted in {@code param}
   * @param output the most tokens the call may generate
   * @param param the request's field holding the prompt ({@code messages} or {@code input})
   */
  public ContextWindowRefusal(int window, int input, long output, String param) {
    super(
        400,
        "invalid_request_error",
        CODE,
        param,
        "This model's maximum context length is "
            + window
            + " tokens. However, you requested "
            + (input + output)
            + " tokens ("
            + input
            + " in the "
            + param
            + ", "
            + output
            + " in the completion). Please reduce the length of the "
            + param
            + " or completion.",
        null);
  }
}
