package dev.warden.call.refusal;

import java.util.Objects;

/**
 * 400 {@code invalid_request_error}, code {@value #CODE}: the request contains a value of a type
 * configured as blocked. The message names the entity type, never the value. The caller can fix the
 * input; nothing was sent upstream.
 */
public final class PiiBlockedRefusal extends WardenRefusal {
  private static final long serialVersionUID = 1L;

  /** The error code. */
  public static final String CODE = "pii_blocked";

  private final String entityType;

  /** A refusal for a value of the blocked entity type {@code entityType} (e.g. {@code SECRET}). */
  public PiiBlockedRefusal(String entityType) {
    super(
        400,
        "invalid_request_error",
        CODE,
        null,
        "Request refused: it contains a value of a blocked type ("
            + Objects.requireNonNull(entityType, "entityType")
            + ")",
        null,
        null);
    this.entityType = entityType;
  }

  /** The name of the blocked entity type, such as {@code SECRET}. */
  public String entityType() {
    return entityType;
  }
}
