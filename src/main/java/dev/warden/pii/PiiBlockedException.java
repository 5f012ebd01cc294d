package dev.warden.pii;

import java.util.Objects;

/**
 * The request is refused because it contains a value whose type is configured as {@link
 * PiiAction#BLOCK}. The message names the entity type, never the value. Callers answer with a
 * client error (the caller can fix the input) and send nothing upstream.
 */
public final class PiiBlockedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String entityType;

  /** An exception for a blocked value of {@code type}. */
  public PiiBlockedException(EntityType type) {
    super(
        "Request refused: it contains a value of a blocked type ("
            + Objects.requireNonNull(type, "type").name()
            + ")");
    this.entityType = type.name();
  }

  /** The name of the blocked entity type, such as {@code SECRET}. */
  public String entityType() {
    return entityType;
  }
}
