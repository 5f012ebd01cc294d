package dev.warden.crypto;

/**
 * The data subject's key has been destroyed (crypto-shredding), so the value can no longer be
 * decrypted. Callers render the field as "erased". The message does not contain the subject id,
 * which may itself be personal data; {@link #subjectId()} gives it to code that needs it.
 */
public final class SubjectErasedException extends AuditCryptoException {
  private static final long serialVersionUID = 1L;

  private final transient String subjectId;

  public SubjectErasedException(String subjectId) {
    super("the data subject's key has been erased; the value cannot be decrypted");
    this.subjectId = subjectId;
  }

  /** The erased subject, or {@code null} after deserialisation. */
  public String subjectId() {
    return subjectId;
  }
}
