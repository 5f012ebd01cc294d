package dev.warden.audit.log;

import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Erasure of data subjects by crypto-shredding: the subject's data key is destroyed, so their
 * records still verify but their encrypted fields read as {@link AuditView.State#ERASED}. The
 * subject is found from their id through the keyed pseudonym ({@link SubjectPseudonyms}) the
 * records store.
 */
@ApplicationScoped
public class AuditErasure {
  private static final Logger LOG = Logger.getLogger(AuditErasure.class.getName());

  /** The operation of erasure records. */
  public static final String ERASE = "audit.erase";

  private final SubjectKeys keys;
  private final SubjectPseudonyms pseudonyms;
  private final AuditWriter writer;

  /** For the CDI proxy only. */
  protected AuditErasure() {
    this(null, null, null);
  }

  @Inject
  AuditErasure(SubjectKeys keys, SubjectPseudonyms pseudonyms, AuditWriter writer) {
    this.keys = keys;
    this.pseudonyms = pseudonyms;
    this.writer = writer;
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
    String pseudonym = pseudonyms.pseudonym(tenant, subject);
    boolean existed = keys.erase(AuditRecords.subjectKeyId(pseudonym));
    // records written before keyed pseudonyms carry the unkeyed one
    existed |=
        keys.erase(AuditRecords.subjectKeyId(SubjectPseudonyms.legacyPseudonym(tenant, subject)));
    AuditRecord r = writer.appendOperation(ERASE, "CDI", tenant, pseudonym, null);
    LOG.log(Level.INFO, "WARDEN0332I: audit subject erased (erasure record {0})", r.recordId);
    return existed;
  }
}
