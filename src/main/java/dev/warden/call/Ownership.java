package dev.warden.call;

/**
 * Who created an upstream object (a stored response, a file, a batch) through Warden. HTTP callers
 * of {@code /v1} reach only objects their own principal created: anything else, including objects
 * made outside Warden, answers 404 as if it did not exist, so ids cannot be probed. Application
 * code ({@link EntryPoint#CDI}) is trusted with the objects of its application and is not checked.
 */
public interface Ownership {

  /** Records that {@code caller} created the object {@code kind}/{@code id}. */
  void own(String kind, String id, Caller caller);

  /**
   * Records that {@code kind}/{@code id} belongs to whoever owns {@code fromKind}/{@code fromId} (a
   * batch's output file belongs to the batch's owner); nothing if that has no owner.
   */
  void ownLike(String kind, String id, String fromKind, String fromId);

  /** Whether {@code caller}'s principal created the object {@code kind}/{@code id}. */
  boolean owns(String kind, String id, Caller caller);
}
