package dev.warden.ai;

/** No deferred call with this id belongs to the caller (missing, or someone else's). */
public class NoSuchDeferredCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoSuchDeferredCallException(String id) {
    super("no deferred call " + id);
  }
}
