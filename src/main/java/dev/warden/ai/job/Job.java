package dev.warden.ai.job;

import java.time.Instant;

/**
 * A background job as its owner sees it.
 *
 * @param status the upstream's status: {@code queued}, {@code in_progress}, {@code completed},
 *     {@code failed}, {@code cancelled} or {@code incomplete}
 * @param tokensInput tokens the upstream counted so far (its cost, in tokens)
 */
public record Job(
    String id,
    String owner,
    String model,
    String responseId,
    String status,
    long tokensInput,
    long tokensOutput,
    String errorCode,
    Instant createdAt,
    Instant updatedAt) {

  /** Whether the job has ended (it is no longer polled). */
  public boolean done() {
    return JobEntity.isTerminal(status);
  }
}
