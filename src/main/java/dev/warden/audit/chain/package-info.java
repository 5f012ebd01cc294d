/**
 * The tamper-evident hash chain of audit records, its MACed checkpoints, and verification.
 *
 * <h2>Model</h2>
 *
 * <p>The log is partitioned into chains, numbered from 1. Each record belongs to one chain, has a
 * sequence number in it (1, 2, 3, ... without gaps), its previous hash in that chain, and a hash
 * ({@link dev.warden.audit.chain.ChainHasher}): {@code SHA-256(1 || seq || prev_hash ||
 * canonical(content))} in chain 1, which holds every record written before the log had chains, and
 * {@code SHA-256(2 || chain || seq || prev_hash || canonical(content))} in the others. The content
 * ({@link dev.warden.audit.chain.CanonicalRecord}) holds every stored column except {@code chain},
 * {@code seq}, {@code prev_hash} and {@code hash}: record id, time, principal, tenant, subject,
 * model, prompt version, the <em>ciphertexts</em> of prompt, output, tool arguments and PII values,
 * PII counts, tokens, cost, latency, outcome. Checkpoints ({@link
 * dev.warden.audit.chain.Checkpoint}) seal {@code (chain, chains, seq, hash, created_at)} with a
 * key the database does not hold ({@link dev.warden.audit.chain.CheckpointSigner}); {@code chains},
 * the number of chains the log had, lets the checkpoints of one chain vouch for the others. {@link
 * dev.warden.audit.chain.ChainVerifier} verifies one chain and names its first broken record.
 *
 * <h2>Appending with concurrent writers and several servers</h2>
 *
 * <p>Tables (sketch): {@code audit_chain_head(id smallint primary key, seq bigint not null, hash
 * bytea not null, mac bytea)}, one row per chain; {@code audit_record(..., chain smallint, seq
 * bigint, unique (chain, seq), prev_hash bytea not null, hash bytea not null)}; {@code
 * audit_checkpoint(chain, seq, primary key (chain, seq), chains, hash, created_at, seal)}. Appends
 * lock a head row in the database, so they are correct across threads and across any number of
 * Warden servers sharing one PostgreSQL, with no JVM lock:
 *
 * <ol>
 *   <li><b>Before any lock</b> (no transaction needed): generate the record id (UUID), truncate
 *       timestamps to microseconds, encrypt every sensitive field with the subject's key ({@code
 *       SubjectKeys.encrypt}, which creates the subject key in its own short transaction on first
 *       use), and build the {@code CanonicalRecord}. All the slow work happens here.
 *   <li>In a <b>new, short transaction</b> ({@code @Transactional(REQUIRES_NEW)}; never inside the
 *       caller's transaction, never around an upstream call):
 *       <ol>
 *         <li>{@code SELECT * FROM audit_chain_head WHERE id <= :chains ORDER BY id FETCH FIRST 1
 *             ROWS ONLY FOR UPDATE SKIP LOCKED}: the lowest-numbered chain no other transaction
 *             holds. If every chain is held, {@code SELECT ... WHERE id = :k FOR UPDATE} waits for
 *             one, taking the chains in turn. Under READ COMMITTED PostgreSQL re-reads the row
 *             after the wait, so each appender sees its predecessor's commit.
 *         <li>{@code ChainRecord r = ChainHasher.next(chain, new ChainHead(seq, hash), id,
 *             content)}.
 *         <li>{@code INSERT} the record with its chain, {@code r.sequence()}, {@code
 *             r.previousHash()}, {@code r.hash()}; {@code UPDATE audit_chain_head SET seq = ?, hash
 *             = ?, mac = ?}.
 *         <li>Commit. On any failure the whole transaction rolls back, head included, so no gap
 *             appears. Do not use a database SEQUENCE for {@code seq}: it leaves gaps on rollback,
 *             which verification reports as deleted records.
 *       </ol>
 * </ol>
 *
 * <p><b>Throughput:</b> a head's lock is held for the batch's inserts, the head's update and the
 * commit. Group commit (one writer per server appends the records of concurrent calls in one
 * transaction) makes one server's appends cheap; chains let several servers (or a purge batch and
 * an append) hold different heads at once, so capacity grows with servers up to the number of
 * chains and the database's own limits. The price: records of different chains are ordered only by
 * time, and a checkpoint round signs every chain's head.
 *
 * <h2>Checkpoints, purges, verification</h2>
 *
 * <ul>
 *   <li><b>Checkpoint job</b> (every T minutes, on any server): read every head row without a lock
 *       and, for each chain with records, {@code signer.sign(chain, chains, head, now)}, stored
 *       once per (chain, seq) (two servers doing it at once is harmless). Also ship the checkpoints
 *       to the log or a SIEM: deleting records after the latest checkpoint is only detectable
 *       against a copy.
 *   <li><b>Purge</b> (retention), chain by chain, in batches under that chain's head lock: delete
 *       runs of consecutive expired records and store a sealed {@link
 *       dev.warden.audit.chain.PurgedRange} (chain, first and last sequence, hash before and after)
 *       for each, which verification crosses.
 *   <li><b>Verify</b>: for each chain, stream {@code SELECT ... WHERE chain = ? ORDER BY seq}
 *       (fetch size e.g. 500) as {@code ChainRecord}s into {@code new ChainVerifier(signer,
 *       chain).verify}, with that chain's checkpoints; then check that every chain the checkpoints
 *       vouch for has a head, and that no record lies past its chain's head.
 * </ul>
 */
package dev.warden.audit.chain;
