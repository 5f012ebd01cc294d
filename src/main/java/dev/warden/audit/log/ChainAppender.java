package dev.warden.audit.log;

import dev.warden.audit.chain.CanonicalRecord;
import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.CheckpointSigner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends a prepared record to the chain in its own short transaction: lock the head row ({@code
 * SELECT ... FOR UPDATE}), hash, insert, move the head and MAC it ({@link
 * CheckpointSigner#signHead}), commit. Appenders on every server serialise on that row; a failure
 * rolls back record and head together, so no gap appears.
 */
@ApplicationScoped
public class ChainAppender {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject CheckpointSigner signer;

  /**
   * Appends {@code record} (everything but sequence and hashes already set) with its canonical
   * content. Returns the chain record written.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public ChainRecord append(AuditRecord record, CanonicalRecord content) {
    return appendAll(List.of(new GroupCommit.Entry(record, content))).get(0);
  }

  /**
   * Appends {@code entries} in order, in one transaction under one head lock (group commit).
   * Returns their chain records.
   */
  @Transactional(TxType.REQUIRES_NEW)
  List<ChainRecord> appendAll(List<GroupCommit.Entry> entries) {
    ChainHeadEntity head =
        em.find(ChainHeadEntity.class, ChainHeadEntity.ID, LockModeType.PESSIMISTIC_WRITE);
    if (head == null) {
      throw new IllegalStateException("the audit chain head row is missing (migration V2)");
    }
    ChainHead current = new ChainHead(head.sequence, head.hash);
    List<ChainRecord> written = new ArrayList<>(entries.size());
    for (GroupCommit.Entry e : entries) {
      AuditRecord record = e.record();
      ChainRecord next = ChainHasher.next(current, record.recordId, e.content());
      record.sequence = next.sequence();
      record.prevHash = next.previousHash();
      record.hash = next.hash();
      em.persist(record);
      written.add(next);
      current = next.head();
    }
    head.sequence = current.sequence();
    head.hash = current.hash();
    head.mac = signer.signHead(current);
    em.flush();
    return written;
  }
}
