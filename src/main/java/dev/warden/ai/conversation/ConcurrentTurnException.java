package dev.warden.ai.conversation;

/** Another turn of the same conversation was answered first; ask again on the new head. */
public class ConcurrentTurnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConcurrentTurnException(String id) {
    super("conversation " + id + " moved on while this turn was answered");
  }
}
