package dev.warden.call;

/**
 * A row that belongs with a finished call's audit record. The audit log asks every CDI bean of this
 * type for the row of a {@link CallFinished} and writes what it gets in the transaction that
 * appends the call's record: the record and its companions commit together or not at all, so an
 * auditor, the usage reports and the budgets never disagree about which calls happened.
 *
 * <p>A row is a JPA entity, which the audit log persists, or data this companion writes itself
 * ({@link #write}). Either must be {@link java.io.Serializable}: while the database is away, the
 * audit log keeps a call's record and its rows in a journal on the server's disk.
 */
public interface CallCompanion {

  /**
   * The row to write with {@code call}'s audit record, or {@code null} when the call has none: a
   * JPA entity of the {@code warden} persistence unit, or a row this companion {@link #write}s.
   */
  Object companionOf(CallFinished call);

  /**
   * Writes {@code row} in the current transaction (the one appending the record) if it is one this
   * companion writes itself; returns whether it was. The default writes nothing: entities are
   * persisted by the audit log.
   */
  default boolean write(Object row) {
    return false;
  }

  /**
   * Told that {@code row} (one of any companion's) will not be written: the call's record could be
   * neither written nor kept. A companion whose row must not be lost with the record writes it on
   * its own (best effort, never throwing); the default does nothing.
   */
  default void abandoned(Object row) {}
}
