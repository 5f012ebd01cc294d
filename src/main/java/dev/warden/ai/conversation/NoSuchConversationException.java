package dev.warden.ai.conversation;

/**
 * The conversation does not exist or belongs to someone else (the two are not told apart, so its
 * existence is not disclosed to other users).
 */
public class NoSuchConversationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoSuchConversationException(String id) {
    super("no conversation " + id + " for this caller");
  }
}
