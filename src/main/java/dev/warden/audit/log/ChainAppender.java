package dev.warden.audit.log;

import dev.warden.audit.chain.CanonicalRecord;
import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.call.CallCompanion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Appends prepared records to a chain of the log in their own short transaction: lock the head row
 * of a chain no one else holds ({@code SELECT ... FOR UPDATE SKIP LOCKED}, the lowest-numbered free
 * one of {@link AuditChains#count()}), hash, insert, move the head and MAC it ({@link
 * CheckpointSigner#signHead}), commit. Appenders on several servers (or several at once on one)
 * take different chains instead of waiting on one row; only when every chain is held does an
 * appender wait, for one of them. A failure rolls back records and head together, so no gap
 * appears.
 */
@ApplicationScoped
public class ChainAppender {

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject CheckpointSigner signer;

  @Inject @Any Instance<CallCompanion> companions;

  @Inject AuditChains chains;

  private final AtomicInteger waits = new AtomicInteger();

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
    return appendLockedWithPending(lockFreeHead(), entries);
  }

  /**
   * {@link #appendAll} for entries that may already be in the chain: an attempt again after a
   * failed commit (which may have committed: the connection was cut while it did), or a batch from
   * the journal. A record whose id is in the table is not appended again; its chain record is read
   * back. (All of a batch or none of it is in: it was one transaction.)
   */
  @Transactional(TxType.REQUIRES_NEW)
  List<ChainRecord> appendAllOnce(List<GroupCommit.Entry> entries) {
    ChainHeadEntity head = lockFreeHead();
    List<String> ids = new ArrayList<>(entries.size());
    for (GroupCommit.Entry e : entries) {
      ids.add(e.record().recordId);
    }
    java.util.Map<String, AuditRecord> stored = new java.util.HashMap<>();
    for (AuditRecord r :
        em.createQuery("select r from AuditRecord r where r.recordId in :ids", AuditRecord.class)
            .setParameter("ids", ids)
            .getResultList()) {
      stored.put(r.recordId, r);
    }
    List<GroupCommit.Entry> missing = new ArrayList<>();
    for (GroupCommit.Entry e : entries) {
      if (!stored.containsKey(e.record().recordId)) {
        missing.add(e);
      }
    }
    java.util.Iterator<ChainRecord> appended = appendLockedWithPending(head, missing).iterator();
    List<ChainRecord> written = new ArrayList<>(entries.size());
    for (GroupCommit.Entry e : entries) {
      AuditRecord in = stored.get(e.record().recordId);
      if (in == null) {
        written.add(appended.next());
      } else {
        e.record().chain = in.chain;
        e.record().sequence = in.sequence;
        e.record().prevHash = in.prevHash;
        e.record().hash = in.hash;
        written.add(new ChainRecord(in.sequence, in.recordId, in.prevHash, in.hash, e.content()));
      }
    }
    return written;
  }

  private List<ChainRecord> appendLockedWithPending(
      ChainHeadEntity head, List<GroupCommit.Entry> entries) {
    if (entries.isEmpty()) {
      return List.of();
    }
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
    ChainHeadEntity head = lockFreeHead();
    int deleted =
        em.createNamedQuery("PendingStream.delete")
            .setParameter("requestIds", List.of(requestId))
            .executeUpdate();
    if (deleted == 0) {
      return null;
    }
    return appendLocked(head, List.of(entry)).get(0);
  }

  /** Commits the pending row of a model call that is starting (the outbox). */
  @Transactional(TxType.REQUIRES_NEW)
  void insertPending(PendingStreamEntity row) {
    em.persist(row);
  }

  /** {@link #insertPending} again, after an attempt whose commit may have succeeded. */
  @Transactional(TxType.REQUIRES_NEW)
  void insertPendingOnce(PendingStreamEntity row) {
    if (em.find(PendingStreamEntity.class, row.requestId) == null) {
      em.persist(row);
    }
  }

  /** The pending rows of {@code owner} from streams started before {@code before}, oldest first. */
  @Transactional(TxType.REQUIRES_NEW)
  List<PendingStreamEntity> pendingOwnedBefore(String owner, java.time.Instant before) {
    return em.createNamedQuery("PendingStream.ownedBefore", PendingStreamEntity.class)
        .setParameter("owner", owner)
        .setParameter("before", before)
        .getResultList();
  }

  /** Persists an entity; asks the companions to write any other row. */
  private void write(Object row) {
    if (row.getClass().isAnnotationPresent(jakarta.persistence.Entity.class)) {
      em.persist(row);
      return;
    }
    for (CallCompanion c : companions) {
      if (c.write(row)) {
        return;
      }
    }
    throw new IllegalStateException("no companion writes a " + row.getClass().getName());
  }

  /**
   * Locks the head of the lowest-numbered chain no other transaction holds; if every chain is held,
   * waits for one (taking the chains in turn, so the waits spread).
   */
  private ChainHeadEntity lockFreeHead() {
    int n = chains.count();
    @SuppressWarnings("unchecked")
    List<ChainHeadEntity> free =
        em.createNativeQuery(
                "select * from audit_chain_head where id <= ?1 order by id"
                    + " fetch first 1 rows only for update skip locked",
                ChainHeadEntity.class)
            .setParameter(1, n)
            .getResultList();
    if (!free.isEmpty()) {
      return free.get(0);
    }
    return lockHead(em, 1 + Math.floorMod(waits.getAndIncrement(), n));
  }

  /** Locks the head of chain {@code chain}, waiting for it if another transaction holds it. */
  static ChainHeadEntity lockHead(EntityManager em, int chain) {
    ChainHeadEntity head =
        em.find(ChainHeadEntity.class, (short) chain, LockModeType.PESSIMISTIC_WRITE);
    if (head == null) {
      // a connection the database cut while it was enlisted can make the find answer nothing: ask
      // again, so that an outage is reported as one (and retried) and only a real absence is not
      long rows =
          em.createQuery("select count(h) from ChainHead h where h.id = :id", Long.class)
              .setParameter("id", (short) chain)
              .getSingleResult();
      if (rows == 0) {
        throw new IllegalStateException("the head row of audit chain " + chain + " is missing");
      }
      head = em.find(ChainHeadEntity.class, (short) chain, LockModeType.PESSIMISTIC_WRITE);
      if (head == null) {
        // the row is there but this connection cannot lock it: a connection failure, so retried
        throw new IllegalStateException(
            "the audit chain head row could not be read",
            new java.sql.SQLTransientConnectionException(
                "the chain head's lock answered nothing", "08003"));
      }
    }
    return head;
  }

  private List<ChainRecord> appendLocked(ChainHeadEntity head, List<GroupCommit.Entry> entries) {
    int chain = head.chain();
    ChainHead current = new ChainHead(head.sequence, head.hash);
    List<ChainRecord> written = new ArrayList<>(entries.size());
    for (GroupCommit.Entry e : entries) {
      AuditRecord record = e.record();
      ChainRecord next = ChainHasher.next(chain, current, record.recordId, e.content());
      record.chain = (short) chain;
      record.sequence = next.sequence();
      record.prevHash = next.previousHash();
      record.hash = next.hash();
      em.persist(record);
      e.companions().forEach(this::write);
      written.add(next);
      current = next.head();
    }
    head.sequence = current.sequence();
    head.hash = current.hash();
    head.mac = signer.signHead(chain, current);
    em.flush();
    return written;
  }
}
