package dev.warden.guard;

/**
 * Where screened text comes from. Untrusted sources (tool results, retrieved content) weigh
 * instruction-like rules more, because there any instruction is out of place.
 */
public enum ContentSource {
  /** The end user's own message. */
  USER_INPUT(1.0),
  /** The result of a tool or function call. */
  TOOL_RESULT(1.25),
  /** Retrieved content: documents, web pages, search results, e-mails. */
  RETRIEVED_CONTENT(1.25);

  private final double factor;

  ContentSource(double factor) {
    this.factor = factor;
  }

  /** The factor applied to the weight of instruction-like rules. */
  public double factor() {
    return factor;
  }
}
