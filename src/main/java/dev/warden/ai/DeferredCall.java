package dev.warden.ai;

import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a caller can know about a deferred call ({@link DeferredCalls}): its status, and once it has
 * ended, which model answered, the tokens, the cost at the batch price, or why it failed. The
 * answer itself is read with {@link DeferredCalls#result}.
 *
 * @param id the deferred call's id (the {@code custom_id} of its batch line)
 * @param requestId Warden's request id of the call: its audit record and ledger entry carry it
 * @param batchId the upstream batch, {@code null} when the call was refused at submission
 * @param errorCode why it failed ({@code budget_exceeded}, the upstream's code, {@code
 *     batch_expired}, ...), {@code null} otherwise
 * @param cost USD at the batch price; {@code null} until it has ended
 * @param endpoint what kind of call it is: its Batch API endpoint ({@code /v1/chat/completions},
 *     {@code /v1/responses} or {@code /v1/embeddings})
 */
public record DeferredCall(
    String id,
    String requestId,
    String model,
    Status status,
    String batchId,
    Instant submittedAt,
    Instant finishedAt,
    String answeredBy,
    String errorCode,
    TokenUsage usage,
    BigDecimal cost,
    String endpoint) {

  /** A deferred chat completion (the form before deferred calls had kinds). */
  public DeferredCall(
      String id,
      String requestId,
      String model,
      Status status,
      String batchId,
      Instant submittedAt,
      Instant finishedAt,
      String answeredBy,
      String errorCode,
      TokenUsage usage,
      BigDecimal cost) {
    this(
        id,
        requestId,
        model,
        status,
        batchId,
        submittedAt,
        finishedAt,
        answeredBy,
        errorCode,
        usage,
        cost,
        DeferredKinds.CHAT);
  }

  /** Where a deferred call stands. */
  public enum Status {
    /** In a batch that has not ended yet. */
    SUBMITTED,
    /** Answered; the answer is ready ({@link DeferredCalls#result}). */
    COMPLETED,
    /** Refused at submission, or refused or failed upstream, or its answer failed validation. */
    FAILED,
    /** The batch expired before this call ran. */
    EXPIRED,
    /** The batch was cancelled before this call ran. */
    CANCELLED;

    public boolean done() {
      return this != SUBMITTED;
    }
  }

  public boolean done() {
    return status.done();
  }
}
