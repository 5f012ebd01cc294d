/**
 * Encryption at rest, with Google Tink, shared by the audit log ({@code dev.warden.audit}) and the
 * placeholder vaults of PII redaction ({@code dev.warden.pii}): keysets, per-subject data keys,
 * field encryption bound to its row and column, and keyed subject pseudonyms.
 *
 * <h2>Keys</h2>
 *
 * <ul>
 *   <li>The <b>master keyset</b> ({@link dev.warden.crypto.MasterKeyset}, AES256-GCM) lives outside
 *       the database: {@code warden.audit.keyset-file} (a Tink JSON keyset file, owner-only) or
 *       {@code warden.audit.keyset} (inline JSON, tests and development). Production should load it
 *       KMS-wrapped ({@link dev.warden.crypto.MasterKeyset#fromEncryptedJson}).
 *   <li>Each <b>data subject</b> has a data key ({@link dev.warden.crypto.SubjectKeys}), stored in
 *       the database only wrapped by the master keyset, with the subject id as associated data.
 *       Records without a data subject should use a per-tenant pseudo-subject (e.g. {@code
 *       "tenant:" + tenantId}), so their fields too are under a data key and never need
 *       re-encryption.
 *   <li>Every sensitive column value (prompt, output, tool arguments, stored PII values) is
 *       encrypted separately with the subject's key and {@link
 *       dev.warden.crypto.AssociatedData#forField}(table, column, record id), so a ciphertext
 *       copied to another row, column or table does not decrypt.
 * </ul>
 *
 * <h2>Rotation</h2>
 *
 * <p>{@code KeysetTool rotate <file>} adds a new primary master key (or {@code add}, deploy to
 * every server, then {@code promote <id>}, when several servers share the database: a server must
 * know a key before any other server wraps with it). New wrapped keys use the new primary; old ones
 * still unwrap. A re-encryption job walks the subject key table and calls {@link
 * dev.warden.crypto.SubjectKeys#rewrapStored} for each subject (or {@code needsRewrap} and {@code
 * rewrap} itself in pages); once none needs it, the old master key can be disabled. Record
 * ciphertexts never change: the hash chain covers them.
 *
 * <h2>Erasure</h2>
 *
 * <p>{@link dev.warden.crypto.SubjectKeys#erase} deletes the subject's wrapped key: their records
 * stay in the chain and verify, but decrypting them throws {@link
 * dev.warden.crypto.SubjectErasedException}.
 */
package dev.warden.crypto;
