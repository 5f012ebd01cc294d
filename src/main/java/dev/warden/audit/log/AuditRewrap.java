package dev.warden.audit.log;

import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The re-encryption job of master-key rotation: walks {@code audit_subject_key} in pages and
 * rewraps every subject data key that an older master key wrapped, with the current primary (a
 * compare-and-set per key, so servers can run it at once). Record ciphertexts never change: they
 * are in the chain hash, and they are encrypted under the subject keys, which stay the same. Once
 * it reports nothing left to rewrap on the new keyset, the old master key can be removed ({@code
 * KeysetTool remove}). A run that rewrapped keys is recorded ({@value #REWRAP}). Scheduled by
 * {@link AuditScheduler} ({@value AuditScheduler#REWRAP_INTERVAL}).
 */
@ApplicationScoped
public class AuditRewrap {
  private static final Logger LOG = Logger.getLogger(AuditRewrap.class.getName());

  /** The operation of the records of re-wrap runs. */
  public static final String REWRAP = "audit.rewrap";

  private static final int PAGE = 500;

  @Inject SubjectKeys keys;
  @Inject MasterKeyset master;
  @Inject JpaSubjectKeyStore store;
  @Inject AuditWriter writer;

  /** What a run did. */
  public record Result(long scanned, long rewrapped, int primaryKeyId) {}

  /**
   * Rewraps every stored subject key not wrapped by the current master primary.
   *
   * @throws dev.warden.crypto.AuditCryptoException if a stored key does not unwrap with any key of
   *     the master keyset (it was wrapped by a key already removed)
   */
  public Result run() {
    long scanned = 0;
    long rewrapped = 0;
    String after = "";
    List<String> page;
    do {
      page = store.subjectIdsAfter(after, PAGE);
      scanned += page.size();
      rewrapped += keys.rewrapAll(page);
      if (!page.isEmpty()) {
        after = page.get(page.size() - 1);
      }
    } while (page.size() == PAGE);
    Result result = new Result(scanned, rewrapped, master.primaryKeyId());
    if (rewrapped > 0) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("scanned", scanned);
      details.put("rewrapped", rewrapped);
      details.put("primary_key_id", Integer.toUnsignedString(master.primaryKeyId()));
      writer.appendOperation(REWRAP, "SCHEDULER", AuditWriter.TENANT, null, details);
    }
    LOG.log(
        Level.INFO,
        "WARDEN0360I: audit re-wrap: {0} of {1} subject keys moved to master key {2}",
        new Object[] {rewrapped, scanned, Integer.toUnsignedString(master.primaryKeyId())});
    return result;
  }
}
