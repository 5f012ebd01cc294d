package dev.warden.audit.log;

import static dev.warden.audit.log.AuditRecords.ANSWER;
import static dev.warden.audit.log.AuditRecords.ERROR;
import static dev.warden.audit.log.AuditRecords.REQUEST;

import dev.warden.cluster.Invalidations;
import dev.warden.config.Jsonp;
import dev.warden.crypto.AuditCryptoException;
import dev.warden.crypto.SubjectErasedException;
import dev.warden.crypto.SubjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads audit records: by record id with the content decrypted, by request id and by operation
 * ({@link AuditSearch} searches by metadata). A reader of decrypted content is recorded first
 * ({@link AuditWriter#recordAccess}, operation {@value #READ}).
 */
@ApplicationScoped
public class AuditReader {

  /** The operation of the records of reads of decrypted audit content (record detail). */
  public static final String READ = "audit.read";

  @PersistenceContext(unitName = "warden")
  EntityManager em;

  private final SubjectKeys keys;

  /** Null outside a container, where no other server shares the keys. */
  private final Invalidations invalidations;

  /** For the CDI proxy only. */
  protected AuditReader() {
    this.keys = null;
    this.invalidations = null;
  }

  @Inject
  AuditReader(SubjectKeys keys, Invalidations invalidations) {
    this.keys = keys;
    this.invalidations = invalidations;
  }

  /** A reader of {@code keys} (outside a container: no other servers). */
  AuditReader(SubjectKeys keys) {
    this(keys, null);
  }

  /** A reader through {@code em}, in the caller's transaction (outside a container). */
  AuditReader(EntityManager em, SubjectKeys keys) {
    this(keys);
    this.em = em;
  }

  /**
   * A record with its encrypted fields decrypted, for an authorised reader ({@code GET
   * /api/audit/{id}} records the read with {@link AuditWriter#recordAccess}). Empty if there is no
   * such record.
   *
   * @throws dev.warden.crypto.AuditCryptoException if a field does not authenticate (tampered
   *     ciphertext)
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<AuditView> read(String recordId) {
    return read(recordId, null);
  }

  /**
   * {@link #read(String)} for a reader of one tenant: empty, and nothing decrypted, if the record
   * belongs to another tenant ({@code tenant} null: any tenant).
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<AuditView> read(String recordId, String tenant) {
    AuditRecord r = recordId == null ? null : em.find(AuditRecord.class, recordId);
    if (r == null || (tenant != null && !tenant.equals(r.tenant))) {
      return Optional.empty();
    }
    if (invalidations != null) {
      invalidations.catchUp(); // no key another server erased is used from this one's cache
    }
    return Optional.of(
        new AuditView(
            r,
            decrypt(r, REQUEST, r.requestEnc),
            decrypt(r, ANSWER, r.answerEnc),
            decrypt(r, ERROR, r.errorEnc)));
  }

  /**
   * A read of a record's decrypted content: the read's own record ({@value #READ}), who read (its
   * principal and tenant), when, and why (null when no reason was asked for, as for {@code GET
   * /api/audit/{id}}, or when the reader's tenant key was erased).
   */
  public record Read(
      String readRecordId, String reader, String readerTenant, Instant at, String reason) {}

  /**
   * The reads of record {@code recordId}'s content, newest first, from {@code offset}: found by the
   * {@code audit_read} index, their reasons decrypted. Reads whose own record was purged are not
   * listed.
   *
   * @throws dev.warden.crypto.AuditCryptoException if a read's details do not authenticate
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Read> reads(String recordId, int offset, int limit) {
    List<AuditRecord> found =
        em.createNamedQuery("AuditRead.ofRecord", AuditRecord.class)
            .setParameter("recordId", recordId)
            .setFirstResult(offset)
            .setMaxResults(limit)
            .setHint("org.hibernate.readOnly", true)
            .getResultList();
    if (!found.isEmpty() && invalidations != null) {
      invalidations.catchUp();
    }
    List<Read> out = new ArrayList<>(found.size());
    for (AuditRecord r : found) {
      out.add(
          new Read(
              r.recordId,
              r.principal,
              r.tenant,
              r.createdAt,
              reasonOf(decrypt(r, REQUEST, r.requestEnc))));
    }
    return out;
  }

  /** The {@code reason} of a read's details, or null. */
  static String reasonOf(AuditView.Field details) {
    if (details.value() == null) {
      return null;
    }
    try (JsonReader json = Jsonp.createReader(new StringReader(details.value()))) {
      JsonValue v = json.readValue();
      if (v instanceof JsonObject o && o.get("reason") instanceof JsonString reason) {
        return reason.getString();
      }
      return null;
    } catch (JsonException e) {
      return null;
    }
  }

  /**
   * A record's metadata, nothing decrypted; empty if there is no such record or it belongs to
   * another tenant than {@code tenant} (null: any tenant).
   */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<AuditRecord> metadata(String recordId, String tenant) {
    AuditRecord r = recordId == null ? null : em.find(AuditRecord.class, recordId);
    if (r == null || (tenant != null && !tenant.equals(r.tenant))) {
      return Optional.empty();
    }
    em.detach(r);
    return Optional.of(r);
  }

  /** The tenant of a record, if there is such a record. */
  @Transactional(TxType.REQUIRES_NEW)
  public Optional<String> tenantOf(String recordId) {
    AuditRecord r = recordId == null ? null : em.find(AuditRecord.class, recordId);
    return Optional.ofNullable(r).map(x -> x.tenant);
  }

  /** The records of a request id, in sequence order. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<AuditRecord> byRequestId(String requestId) {
    return em.createNamedQuery("AuditRecord.byRequestId", AuditRecord.class)
        .setParameter("requestId", requestId)
        .getResultList();
  }

  /** The records of an operation (e.g. {@value AuditErasure#ERASE}), in sequence order. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<AuditRecord> byOperation(String operation) {
    return em.createNamedQuery("AuditRecord.byOperation", AuditRecord.class)
        .setParameter("operation", operation)
        .getResultList();
  }

  /**
   * {@code r} with its fields decrypted, for an export: a field that does not authenticate (a
   * tampered ciphertext) reads as {@link AuditView.State#UNREADABLE} instead of failing the export;
   * the export's own chain check names the record.
   */
  AuditView viewForExport(AuditRecord r) {
    return new AuditView(
        r,
        decryptOrUnreadable(r, REQUEST, r.requestEnc),
        decryptOrUnreadable(r, ANSWER, r.answerEnc),
        decryptOrUnreadable(r, ERROR, r.errorEnc));
  }

  private AuditView.Field decryptOrUnreadable(AuditRecord r, String column, byte[] ciphertext) {
    try {
      return decrypt(r, column, ciphertext);
    } catch (AuditCryptoException e) {
      return AuditView.Field.UNREADABLE;
    }
  }

  private AuditView.Field decrypt(AuditRecord r, String column, byte[] ciphertext) {
    if (ciphertext == null) {
      return AuditView.Field.ABSENT;
    }
    try {
      return AuditView.Field.of(
          new String(
              keys.decrypt(
                  r.keySubject, ciphertext, AuditRecords.associatedData(column, r.recordId)),
              StandardCharsets.UTF_8));
    } catch (SubjectErasedException e) {
      return AuditView.Field.ERASED;
    }
  }
}
