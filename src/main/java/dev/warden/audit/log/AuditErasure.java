package dev.warden.audit.log;

import dev.warden.call.EntryPoint;
import dev.warden.cluster.Invalidation;
import dev.warden.cluster.Invalidations;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Erasure of data subjects by crypto-shredding: the subject's data key is destroyed, so their
 * records still verify but their encrypted fields read as {@link AuditView.State#ERASED}. The
 * subject is found from their id through the keyed pseudonym ({@link SubjectPseudonyms}) the
 * records store. The other servers on the database drop the subject's key from their caches when
 * the erasure's {@link Invalidation} reaches them (topic {@value #TOPIC}).
 */
@ApplicationScoped
public class AuditErasure {
  private static final Logger LOG = Logger.getLogger(AuditErasure.class.getName());

  /** The operation of erasure records. */
  public static final String ERASE = "audit.erase";

  /** The topic of {@link Invalidation}s of subject keys; the item is the key's subject id. */
  public static final String TOPIC = "subject-key";

  private final SubjectKeys keys;
  private final SubjectPseudonyms pseudonyms;
  private final AuditWriter writer;
  private final Invalidations invalidations;

  /** For the CDI proxy only. */
  protected AuditErasure() {
    this(null, null, null, null);
  }

  @Inject
  AuditErasure(
      SubjectKeys keys,
      SubjectPseudonyms pseudonyms,
      AuditWriter writer,
      Invalidations invalidations) {
    this.keys = keys;
    this.pseudonyms = pseudonyms;
    this.writer = writer;
    this.invalidations = invalidations;
  }

  /**
   * Erases a data subject of the tenant {@code default} (crypto-shredding): destroys the subject's
   * data key, so their records still verify but their encrypted fields read as {@link
   * AuditView.State#ERASED}; then records the erasure itself (operation {@value #ERASE}, the
   * subject pseudonymised, no content).
   *
   * @return whether the subject had a key
   * @throws AuditWriteException if the erasure record cannot be written (the key is gone already)
   */
  public boolean erase(String subject) {
    return erase(AuditWriter.TENANT, subject);
  }

  /**
   * Erases the data subject {@code subject} of {@code tenant} (pseudonyms and data keys are per
   * tenant); see {@link #erase(String)}.
   */
  public boolean erase(String tenant, String subject) {
    return eraseRecorded(EntryPoint.CDI, tenant, subject, null).hadKey();
  }

  /** What an erasure did: whether the subject had a key, and the erasure's own audit record. */
  public record Erasure(boolean hadKey, AuditRecord record) {}

  /**
   * {@link #erase(String, String)} asked through {@code entryPoint}, for {@code reason} (may be
   * null; kept in the erasure record's details, encrypted under the tenant's key, never the
   * subject's), answering with the erasure's audit record as well.
   *
   * @throws AuditWriteException if the erasure record cannot be written (the key is gone already)
   */
  public Erasure eraseRecorded(
      EntryPoint entryPoint, String tenant, String subject, String reason) {
    String pseudonym = pseudonyms.pseudonym(tenant, subject);
    // records written before keyed pseudonyms carry the unkeyed one
    String legacy = SubjectPseudonyms.legacyPseudonym(tenant, subject);
    boolean existed = false;
    for (String keyId :
        new String[] {AuditRecords.subjectKeyId(pseudonym), AuditRecords.subjectKeyId(legacy)}) {
      existed |= keys.erase(keyId);
      invalidations.announce(TOPIC, keyId);
    }
    AuditRecord r =
        writer.appendOperation(
            ERASE,
            entryPoint.name(),
            tenant,
            pseudonym,
            reason == null ? null : Map.of("reason", reason));
    LOG.log(Level.INFO, "WARDEN0332I: audit subject erased (erasure record {0})", r.recordId);
    return new Erasure(existed, r);
  }

  /** Drops the subject keys another server erased (or every key) from this server's cache. */
  void onInvalidation(@Observes Invalidation change) {
    change.applyTo(TOPIC, keys::evictAll, keys::evict);
  }
}
