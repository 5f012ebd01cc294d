package dev.warden.audit.log;

import dev.warden.call.Caller;
import dev.warden.call.EntryPoint;
import dev.warden.crypto.SubjectErasedException;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a copy of a call's answer outside the audit log (an idempotent replay on {@code /v1}) under
 * the same data key as the call's audit record: the key of its data subject when the request named
 * one ({@code safety_identifier}, else {@code user}), else the tenant's. So erasing the subject
 * ({@link AuditErasure}) makes the copy unreadable as it does the record. Also records a replay in
 * the audit log.
 */
@ApplicationScoped
public class SealedAnswers {

  /** The operation of the audit record of a replayed answer. */
  public static final String REPLAY = "v1.replay";

  private final SubjectKeys keys;
  private final SubjectPseudonyms pseudonyms;
  private final AuditWriter writer;

  /** For the CDI proxy only. */
  protected SealedAnswers() {
    this(null, null, null);
  }

  @Inject
  SealedAnswers(SubjectKeys keys, SubjectPseudonyms pseudonyms, AuditWriter writer) {
    this.keys = keys;
    this.pseudonyms = pseudonyms;
    this.writer = writer;
  }

  /**
   * Whose data key seals an answer of {@code tenant} for {@code subject} ({@code null}: none): the
   * key the call's audit record is encrypted with.
   */
  public String keySubject(String tenant, String subject) {
    Objects.requireNonNull(tenant, "tenant");
    return AuditRecords.keyId(
        tenant, subject == null ? null : pseudonyms.pseudonym(tenant, subject));
  }

  /** Encrypts {@code plaintext} under {@code keySubject}'s data key, binding {@code ad}. */
  public byte[] seal(String keySubject, byte[] plaintext, byte[] associatedData) {
    return keys.encrypt(keySubject, plaintext, associatedData);
  }

  /**
   * Decrypts what {@link #seal} made; empty when the data subject has been erased since.
   *
   * @throws dev.warden.crypto.AuditCryptoException if the ciphertext does not authenticate
   */
  public Optional<byte[]> open(String keySubject, byte[] ciphertext, byte[] associatedData) {
    try {
      return Optional.of(keys.decrypt(keySubject, ciphertext, associatedData));
    } catch (SubjectErasedException erased) {
      return Optional.empty();
    }
  }

  /**
   * Records that {@code caller} was given the recorded answer of the call {@code replayOf} again
   * (operation {@value #REPLAY}, entry point {@code V1}, the subject pseudonymised, no content).
   *
   * @throws AuditWriteException if the record cannot be written
   */
  public void recordReplay(Caller caller, String subject, String operation, String replayOf) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("operation", operation);
    details.put("replay_of", replayOf);
    writer.appendOperation(
        REPLAY,
        EntryPoint.V1.name(),
        caller.principal(),
        caller.tenant(),
        subject == null ? null : pseudonyms.pseudonym(caller.tenant(), subject),
        details);
  }
}
