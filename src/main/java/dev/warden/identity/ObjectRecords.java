package dev.warden.identity;

import dev.warden.call.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.util.Optional;

/**
 * The record of each file and batch created through {@code /v1} (table {@code
 * warden_object_record}): who created it, its purpose, which vault restores it and, for a batch
 * input file, what admission needs. The first record of an object wins.
 */
@ApplicationScoped
public class ObjectRecords {

  public static final String FILE = "file";
  public static final String BATCH = "batch";

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  @Inject Clock clock;

  /** Records {@code record} unless its object is recorded already. */
  @Transactional(TxType.REQUIRES_NEW)
  public void record(ObjectRecord record) {
    String key = record.kind() + ":" + record.id();
    if (record.id() == null || em.find(ObjectRecordEntity.class, key) != null) {
      return;
    }
    ObjectRecordEntity row = new ObjectRecordEntity();
    row.key = key;
    row.kind = record.kind();
    row.objectId = record.id();
    row.principal = record.principal();
    row.tenant = record.tenant();
    row.purpose = record.purpose();
    row.vaultFileId = record.vaultFileId();
    row.endpoint = record.endpoint();
    row.model = record.model();
    row.lineCount = record.lines();
    row.inputTokens = record.inputTokens();
    row.outputTokens = record.worstOutputTokens();
    row.createdAt = record.createdAt() == null ? clock.instant() : record.createdAt();
    em.persist(row);
  }

  /** A file or batch made by {@code caller}'s principal in its tenant, with no summary. */
  public ObjectRecord of(
      String kind, String id, Caller caller, String purpose, String vaultFileId, String endpoint) {
    return new ObjectRecord(
        kind,
        id,
        caller.principal(),
        caller.tenant(),
        purpose,
        vaultFileId,
        endpoint,
        null,
        0,
        0,
        0,
        clock.instant());
  }

  @Transactional(TxType.REQUIRES_NEW)
  public Optional<ObjectRecord> find(String kind, String id) {
    return Optional.ofNullable(
            id == null ? null : em.find(ObjectRecordEntity.class, kind + ":" + id))
        .map(ObjectRecordEntity::view);
  }
}
