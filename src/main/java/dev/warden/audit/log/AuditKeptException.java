package dev.warden.audit.log;

/**
 * A call's record could not reach the database within the retry window and was kept in the audit
 * journal instead, to be written when the database returns: the record is not lost, but the call
 * fails as an audit write that failed does (its answer withheld, a 503).
 */
public class AuditKeptException extends AuditWriteException {
  private static final long serialVersionUID = 1L;
  private final int records;

  AuditKeptException(int records, Throwable cause) {
    super(
        "the database was unavailable; "
            + records
            + " audit record(s) kept in the journal until it returns",
        cause);
    this.records = records;
  }

  /** How many records of the batch were kept. */
  public int records() {
    return records;
  }
}
