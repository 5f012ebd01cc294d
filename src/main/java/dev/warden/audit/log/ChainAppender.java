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
   * Returns their chain records. The pending rows of the records' calls (the outbox: model calls,
   * streamed or not) are removed in the same transaction, so a call has its pending row or its
   * record, never neither; each record's companions (its usage entry) are persisted in it too.
   */
  @Transactional(TxType.REQUIRES_NEW)
  List<ChainRecord> appendAll(List<GroupCommit.Entry> entries) {
    ChainHeadEntity head = lockHead();
    List<String> calls = new ArrayList<>(entries.size());
    for (GroupCommit.Entry e : entries) {
      if (e.record().requestId != null) {
        calls.add(e.record().requestId);
      }
    }
    if (!calls.isEmpty()) {
      em.createNamedQuery("PendingStream.delete").setParameter("requestIds", calls).executeUpdate();
    }
    return appendLocked(head, entries);
  }

  /**
   * Appends the record of an interrupted stream in place of its pending row {@code requestId}, in
   * one transaction: under the head lock, the row is deleted and, only if it was still there, the
   * record appended. So two servers recovering the same row, or a stream ending while it is
   * recovered, never give it two records from recovery.
   *
   * @return the chain record, or null if the row was gone (someone else wrote its record)
   */
  @Transactional(TxType.REQUIRES_NEW)
  ChainRecord appendRecovered(GroupCommit.Entry entry, String requestId) {
    ChainHeadEntity head = lockHead();
    int deleted =
        em.createNamedQuery("PendingStream.delete")
            .setParameter("requestIds", List.of(requestId))
            .executeUpdate();
    if (deleted == 0) {
      return null;
    }
    return appendLocked(head, List.of(entry)).get(0);
  }

  /** Commits the pending row of a stream that is starting (the stream outbox). */
  @Transactional(TxType.REQUIRES_NEW)
  void insertPending(PendingStreamEntity row) {
    em.persist(row);
  }

  /** The pending rows of {@code owner} from streams started before {@code before}, oldest first. */
  @Transactional(TxType.REQUIRES_NEW)
  List<PendingStreamEntity> pendingOwnedBefore(String owner, java.time.Instant before) {
    return em.createNamedQuery("PendingStream.ownedBefore", PendingStreamEntity.class)
        .setParameter("owner", owner)
        .setParameter("before", before)
        .getResultList();
  }

  private ChainHeadEntity lockHead() {
    ChainHeadEntity head =
        em.find(ChainHeadEntity.class, ChainHeadEntity.ID, LockModeType.PESSIMISTIC_WRITE);
    if (head == null) {
      throw new IllegalStateException("the audit chain head row is missing (migration V2)");
    }
    return head;
  }

  private List<ChainRecord> appendLocked(ChainHeadEntity head, List<GroupCommit.Entry> entries) {
    ChainHead current = new ChainHead(head.sequence, head.hash);
    List<ChainRecord> written = new ArrayList<>(entries.size());
    for (GroupCommit.Entry e : entries) {
      AuditRecord record = e.record();
      ChainRecord next = ChainHasher.next(current, record.recordId, e.content());
      record.sequence = next.sequence();
      record.prevHash = next.previousHash();
      record.hash = next.hash();
      em.persist(record);
      e.companions().forEach(em::persist);
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
