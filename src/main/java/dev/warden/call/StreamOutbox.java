package dev.warden.call;

import java.util.concurrent.CompletableFuture;

/**
 * Where a stream is noted as under way before its first byte reaches the caller, so that a crash
 * before its record is written still leaves a trace (the audit log's stream outbox). The pipeline
 * starts the write while the upstream stream is being opened and waits for it only before relaying.
 */
public interface StreamOutbox {

  /**
   * Starts writing the pending note of {@code call} (metadata only) on another thread.
   *
   * @return completes once the note is committed, or exceptionally if it could not be written
   */
  CompletableFuture<Void> pending(CallContext call, String operation);
}
