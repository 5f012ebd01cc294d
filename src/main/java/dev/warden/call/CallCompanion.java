package dev.warden.call;

/**
 * A row that belongs with a finished call's audit record. The audit log asks every CDI bean of this
 * type for the row of a {@link CallFinished} and persists what it gets in the transaction that
 * appends the call's record: the record and its companions commit together or not at all, so an
 * auditor and the usage reports never disagree about which calls happened.
 */
public interface CallCompanion {

  /**
   * The JPA entity (of the {@code warden} persistence unit) to persist with {@code call}'s audit
   * record, or {@code null} when the call has none.
   */
  Object companionOf(CallFinished call);
}
