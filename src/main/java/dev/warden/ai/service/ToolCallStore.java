package dev.warden.ai.service;

import dev.warden.audit.log.SealedAnswers;
import dev.warden.call.Caller;
import dev.warden.crypto.AssociatedData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The durable claims of tool calls and their first results: a caller's {@code call_id} is claimed
 * in its own short transaction before the tool runs; a second claim of the same pair fails, on any
 * server and after a restart. When the tool has run, its result is stored with the claim, sealed
 * under the tenant's data key and bound to the row, so a duplicate anywhere gets the first result.
 */
@ApplicationScoped
public class ToolCallStore {

  /** What is known of the first run of a claimed call. */
  public record FirstRun(Status status, String result) {
    /** Whether the first result can be given again. */
    public enum Status {
      /** The first run finished; {@code result} holds its result. */
      DONE,
      /** Claimed, but no result is stored (yet): running elsewhere, or its server died. */
      PENDING,
      /** A result is stored but cannot be read any more (its data key was erased). */
      UNREADABLE
    }

    static final FirstRun PENDING_RUN = new FirstRun(Status.PENDING, null);
    static final FirstRun UNREADABLE_RUN = new FirstRun(Status.UNREADABLE, null);
  }

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject SealedAnswers sealed;

  private final Clock clock = Clock.systemUTC();

  /**
   * Claims {@code callId} for {@code caller}; false when it was claimed before. A concurrent claim
   * of the same pair makes one of the two fail with the store's exception at commit.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public boolean claim(Caller caller, String callId, String toolName) {
    String id = idOf(caller, callId);
    if (em.find(ToolCallEntity.class, id) != null) {
      return false;
    }
    em.persist(
        new ToolCallEntity(id, caller.tenant(), caller.principal(), toolName, Instant.now(clock)));
    em.flush();
    return true;
  }

  /** Stores the first result of a call this server claimed and ran. */
  @Transactional(TxType.REQUIRES_NEW)
  public void recordResult(Caller caller, String callId, String result) {
    String id = idOf(caller, callId);
    ToolCallEntity row = em.find(ToolCallEntity.class, id);
    if (row == null || row.resultEnc != null) {
      return;
    }
    String keySubject = sealed.keySubject(caller.tenant(), null);
    row.keySubject = keySubject;
    row.resultEnc =
        sealed.seal(keySubject, result.getBytes(StandardCharsets.UTF_8), associatedData(id));
    row.completedAt = Instant.now(clock);
  }

  /** What is known of the first run of a claimed call. */
  @Transactional(TxType.REQUIRES_NEW)
  public FirstRun firstRun(Caller caller, String callId) {
    String id = idOf(caller, callId);
    ToolCallEntity row = em.find(ToolCallEntity.class, id);
    if (row == null || row.resultEnc == null) {
      return FirstRun.PENDING_RUN;
    }
    Optional<byte[]> plain = sealed.open(row.keySubject, row.resultEnc, associatedData(id));
    return plain
        .map(p -> new FirstRun(FirstRun.Status.DONE, new String(p, StandardCharsets.UTF_8)))
        .orElse(FirstRun.UNREADABLE_RUN);
  }

  /** Deletes the claims (and results) made before {@code cutoff}; returns how many. */
  @Transactional
  public int purgeClaimedBefore(Instant cutoff) {
    return em.createQuery("delete from ToolCallEntity t where t.createdAt < :cutoff")
        .setParameter("cutoff", cutoff)
        .executeUpdate();
  }

  /** The row id of a caller's call: SHA-256 of tenant, principal and call id. */
  static String idOf(Caller caller, String callId) {
    return AssociatedData.sha256Hex(caller.tenant(), caller.principal(), callId);
  }

  private static byte[] associatedData(String id) {
    return AssociatedData.forField("warden_tool_call", "result_enc", id);
  }
}
