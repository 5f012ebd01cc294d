/**
 * The tamper-evident hash chain of audit records, its MACed checkpoints, and verification.
 *
 * <h2>Model</h2>
 *
 * <p>Each record has a sequence number (1, 2, 3, ... without gaps), its previous hash, and {@code
 * hash = SHA-256(1 || seq || prev_hash || canonical(content))} ({@link
 * dev.warden.audit.chain.ChainHasher}). The content ({@link
 * dev.warden.audit.chain.CanonicalRecord}) holds every stored column except {@code seq}, {@code
 * prev_hash} and {@code hash}: record id, time, principal, tenant, subject, model, prompt version,
 * the <em>ciphertexts</em> of prompt, output, tool arguments and PII values, PII counts, tokens,
 * cost, latency, outcome. Checkpoints ({@link dev.warden.audit.chain.Checkpoint}) MAC {@code (seq,
 * hash, created_at)} with a key the database does not hold ({@link
 * dev.warden.audit.chain.CheckpointSigner}). {@link dev.warden.audit.chain.ChainVerifier} names the
 * first broken record.
 *
 * <h2>Appending with concurrent writers and several servers</h2>
 *
 * <p>Tables (sketch): {@code audit_chain_head(id smallint primary key check (id = 1), seq bigint
 * not null, hash bytea not null)}, seeded by the migration with {@code (1, 0, 32 zero bytes)};
 * {@code audit_record(..., seq bigint not null unique, prev_hash bytea not null, hash bytea not
 * null)}; {@code audit_checkpoint(seq bigint primary key, hash bytea, created_at timestamp(6), mac
 * bytea)}. Appends serialise on the single head row, in the database, so they are correct across
 * threads and across any number of Warden servers sharing one PostgreSQL, with no JVM lock:
 *
 * <ol>
 *   <li><b>Before any lock</b> (no transaction needed): generate the record id (UUID), truncate
 *       timestamps to microseconds, encrypt every sensitive field with the subject's key ({@code
 *       SubjectKeys.encrypt}, which creates the subject key in its own short transaction on first
 *       use), and build the {@code CanonicalRecord}. All the slow work happens here.
 *   <li>In a <b>new, short transaction</b> ({@code @Transactional(REQUIRES_NEW)}; never inside the
 *       caller's transaction, never around an upstream call):
 *       <ol>
 *         <li>{@code SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE} (JPA: {@code
 *             em.find(ChainHeadEntity.class, 1, LockModeType.PESSIMISTIC_WRITE)}). Other appenders,
 *             on any server, wait here; under READ COMMITTED PostgreSQL re-reads the row after the
 *             wait, so each sees its predecessor's commit.
 *         <li>{@code ChainRecord r = ChainHasher.next(new ChainHead(seq, hash), id, content)}.
 *         <li>{@code INSERT} the record with {@code r.sequence()}, {@code r.previousHash()}, {@code
 *             r.hash()}; {@code UPDATE audit_chain_head SET seq = ?, hash = ?}.
 *         <li>Commit. On any failure the whole transaction rolls back, head included, so no gap
 *             appears. Do not use a database SEQUENCE for {@code seq}: it leaves gaps on rollback,
 *             which verification reports as deleted records.
 *       </ol>
 * </ol>
 *
 * <p><b>Throughput:</b> the lock is held for one insert, one update and the commit (fsync), about 1
 * ms on a local PostgreSQL, so one chain takes roughly 500 to 2000 appends per second in total,
 * whatever the number of servers. An LLM call takes hundreds of milliseconds or more, so that is
 * far above Warden's expected audit rate. If it is not enough, the cheaper next step is batching:
 * one writer thread per server drains a queue and appends N records per transaction (one lock, one
 * commit). Sharded chains are the last resort: K head rows ({@code chain_id}), records spread by
 * {@code hash(request id) mod K}, {@code chain_id} added to the hashed content and to the
 * checkpoint MAC input, and periodic checkpoints covering all K heads at once; verification then
 * walks each chain. It scales appends by K at the cost of a global order only at checkpoints. This
 * code implements the single chain.
 *
 * <h2>Checkpoints, purges, verification</h2>
 *
 * <ul>
 *   <li><b>Checkpoint job</b> (every N records or T minutes, on any server): read the head row
 *       without a lock, {@code signer.sign(head, now)}, {@code INSERT ... ON CONFLICT (seq) DO
 *       NOTHING} (two servers doing it at once is harmless). Also ship the checkpoint to the log or
 *       a SIEM: deleting records after the latest checkpoint is only detectable against a copy.
 *   <li><b>Purge</b> (retention), in one transaction: pick the boundary {@code b} (the highest
 *       {@code seq} older than the retention period), make sure a checkpoint at {@code b} exists
 *       (sign {@code hash} of record {@code b} if not), then {@code DELETE FROM audit_record WHERE
 *       seq <= b}; older checkpoints may go too. Verification then starts at {@code b + 1},
 *       anchored by that checkpoint.
 *   <li><b>Verify</b>: stream {@code SELECT ... ORDER BY seq} (fetch size e.g. 500) as {@code
 *       ChainRecord}s into {@code ChainVerifier.verify}, with all checkpoints.
 * </ul>
 */
package dev.warden.audit.chain;
