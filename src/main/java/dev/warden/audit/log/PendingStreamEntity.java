package dev.warden.audit.log;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A model call under way whose audit record is not written yet (the outbox, migrations V7 and V56):
 * metadata only, and what charging it needs should its server end first. Removed in the transaction
 * that appends the call's record; one left behind by a killed server becomes a FAILED record when
 * that server starts again ({@link AuditOutbox}).
 */
@Entity(name = "PendingStream")
@Table(name = "audit_stream_pending")
@NamedQuery(
    name = "PendingStream.ownedBefore",
    query =
        "select p from PendingStream p where p.owner = :owner and p.startedAt < :before"
            + " order by p.startedAt, p.requestId")
@NamedQuery(
    name = "PendingStream.delete",
    query = "delete from PendingStream p where p.requestId in :requestIds")
public class PendingStreamEntity {
  @Id
  @Column(name = "request_id")
  public String requestId;

  @Column(name = "owner")
  public String owner;

  @Column(name = "operation")
  public String operation;

  @Column(name = "entry_point")
  public String entryPoint;

  @Column(name = "principal")
  public String principal;

  @Column(name = "tenant")
  public String tenant;

  @Column(name = "requested_model")
  public String requestedModel;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "streamed")
  public boolean streamed;

  /** The input tokens counted at admission; {@code null} for a call not admitted by tokens. */
  @Column(name = "input_tokens")
  public Integer inputTokens;

  @Column(name = "api_key_id")
  public String apiKeyId;

  @Column(name = "prompt_id")
  public String promptId;

  @Column(name = "prompt_version")
  public String promptVersion;
}
