package dev.warden.call;

import java.util.concurrent.CompletableFuture;

/**
 * Where a model call is noted as under way, so that a crash before its record is written still
 * leaves a trace (the audit log's outbox): a stream before its first byte reaches the caller (the
 * pipeline starts the write while the upstream stream is being opened and waits for it only before
 * relaying), a plain call before its request reaches the upstream (the write runs while the call is
 * admitted and redacted).
 */
public interface StreamOutbox {

  /**
   * Starts writing the pending note of {@code call} (metadata only), a stream or not ({@code
   * streamed}), on another thread.
   *
   * @return completes once the note is committed, or exceptionally if it could not be written
   */
  CompletableFuture<Void> pending(CallContext call, String operation, boolean streamed);
}
