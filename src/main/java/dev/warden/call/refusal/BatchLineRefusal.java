package dev.warden.call.refusal;

import dev.warden.openai.error.OpenAiException;

/**
 * A line of a batch input file that Warden refuses before the file is uploaded: what the line's
 * request would have been refused with as a call, its message prefixed with the line's number
 * ({@code Line 3: ...}); its status, type, code and {@code param} are the call's.
 */
public class BatchLineRefusal extends WardenRefusal {
  private static final long serialVersionUID = 1L;

  /** The code of a line that is not a well-formed batch request. */
  public static final String CODE = "invalid_batch_line";

  private final int line;

  /** A line that is not a well-formed batch request (400, {@code invalid_batch_line}). */
  public BatchLineRefusal(int line, String problem, String param) {
    super(400, "invalid_request_error", CODE, param, "Line " + line + ": " + problem, null, null);
    this.line = line;
  }

  /** A line whose request is refused as {@code refused} would refuse the call. */
  public BatchLineRefusal(int line, OpenAiException refused) {
    super(
        refused.status(),
        refused.type() == null ? "invalid_request_error" : refused.type(),
        refused.code() == null ? CODE : refused.code(),
        refused.param(),
        "Line " + line + ": " + refused.getMessage(),
        null,
        refused);
    this.line = line;
  }

  /** The 1-based number of the refused line in the file. */
  public int line() {
    return line;
  }
}
