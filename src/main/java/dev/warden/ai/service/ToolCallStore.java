package dev.warden.ai.service;

import dev.warden.call.Caller;
import dev.warden.crypto.AssociatedData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.time.Instant;

/**
 * The durable claims of tool calls: a caller's {@code call_id} is claimed in its own short
 * transaction before the tool runs; a second claim of the same pair fails, on any server and after
 * a restart.
 */
@ApplicationScoped
public class ToolCallStore {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

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

  /** The row id of a caller's call: SHA-256 of tenant, principal and call id. */
  static String idOf(Caller caller, String callId) {
    return AssociatedData.sha256Hex(caller.tenant(), caller.principal(), callId);
  }
}
