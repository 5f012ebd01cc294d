package dev.warden.ai.service;

import dev.warden.call.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

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
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(caller.tenant().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(caller.principal().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return HexFormat.of().formatHex(sha.digest(callId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
