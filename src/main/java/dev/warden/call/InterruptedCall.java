package dev.warden.call;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A model call its server's end cut off, as its outbox row kept it: who made it, on what model, and
 * the input tokens counted at admission ({@code null} when none were counted).
 */
public record InterruptedCall(
    String requestId,
    String operation,
    String principal,
    String tenant,
    String apiKeyId,
    String model,
    String promptId,
    String promptVersion,
    Instant startedAt,
    Integer inputTokens) {

  /**
   * Charges a call cut off by its server's end: the upstream may have received it, and what it used
   * is unknown, so its counted input is charged, as for a stream cut before its usage arrived. The
   * cost package implements it; the audit log writes the rows in the transaction of the call's
   * FAILED record.
   */
  public interface Charges {
    /**
     * What {@code call} is charged.
     *
     * @throws RuntimeException if it cannot be worked out now (the recovery is tried again)
     */
    Charge charge(InterruptedCall call);
  }

  /**
   * @param inputTokens the tokens charged
   * @param cost in USD
   * @param rows the companion rows to write with the call's record (its usage entry, the settlement
   *     of its budget holds), as a {@link CallCompanion} gives them
   */
  public record Charge(long inputTokens, BigDecimal cost, List<Object> rows) {
    public Charge {
      rows = List.copyOf(rows);
    }
  }
}
