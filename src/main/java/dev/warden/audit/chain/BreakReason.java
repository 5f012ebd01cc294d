package dev.warden.audit.chain;

/** Why {@link ChainVerifier} considers a record (or checkpoint) the first broken one. */
public enum BreakReason {
  /**
   * The stored hash differs from the hash recomputed from the record's sequence, previous hash and
   * content: a field, the hash or the sequence number was edited.
   */
  CONTENT_MODIFIED,
  /**
   * Records are missing: a gap in the sequence numbers, no checkpoint anchoring the first remaining
   * record, or a valid checkpoint or signed head past the last record (the tail was deleted). The
   * sequence named is the first missing one.
   */
  RECORD_MISSING,
  /** The record was inserted: its successor's previous hash is the hash of its predecessor. */
  RECORD_INSERTED,
  /** This record and the next are swapped: each links to the other's place. */
  RECORDS_REORDERED,
  /**
   * The stored previous hash does not match the predecessor's hash, for another reason: a deleted
   * record with the rest renumbered, an edited previous hash, or reordering over a distance.
   */
  LINK_BROKEN,
  /** The sequence number does not increase (a duplicate row, or an unordered read). */
  DUPLICATE_SEQUENCE,
  /** A checkpoint's MAC does not verify: it was forged or altered. */
  CHECKPOINT_FORGED,
  /**
   * A valid checkpoint disagrees with the record at its sequence: the chain was rewritten (hashes
   * recomputed) after the checkpoint was made.
   */
  CHECKPOINT_MISMATCH,
  /**
   * The stored chain head does not vouch for the chain: its MAC is missing or invalid (the head row
   * was edited), or it names the last record's sequence with another hash.
   */
  HEAD_MISMATCH
}
