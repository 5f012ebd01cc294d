package dev.warden.audit.log;

/**
 * A record read back for an authorised reader: the stored record and its decrypted fields.
 *
 * @param request the request as sent upstream (redacted), JSON
 * @param answer the upstream answer (placeholders), JSON
 * @param error the error message
 */
public record AuditView(AuditRecord record, Field request, Field answer, Field error) {

  /**
   * Whether a field holds a value, held none, was erased with its subject's key, or (in exports
   * only) does not authenticate.
   */
  public enum State {
    PRESENT,
    ABSENT,
    ERASED,
    UNREADABLE
  }

  /** One decrypted field: its state and, when present, its text. */
  public record Field(State state, String value) {
    /** A field that held no value. */
    public static final Field ABSENT = new Field(State.ABSENT, null);

    /** A field whose subject's key was erased. */
    public static final Field ERASED = new Field(State.ERASED, null);

    /** A field whose ciphertext does not authenticate (tampered); only in exports. */
    public static final Field UNREADABLE = new Field(State.UNREADABLE, null);

    /** A present value. */
    public static Field of(String value) {
      return new Field(State.PRESENT, value);
    }

    @Override
    public String toString() {
      return state == State.PRESENT ? "Field[PRESENT]" : "Field[" + state + "]";
    }
  }
}
