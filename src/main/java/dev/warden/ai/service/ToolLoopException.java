package dev.warden.ai.service;

/** A tool loop that did not end within {@link AiService#maxToolRounds()} rounds. */
public class ToolLoopException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ToolLoopException(String message) {
    super(message);
  }
}
