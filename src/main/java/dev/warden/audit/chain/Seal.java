package dev.warden.audit.chain;

import java.util.Objects;

/**
 * A seal made by {@link CheckpointSigner}: its kind and its bytes (Tink-prefixed with the key id).
 * The byte array is copied.
 */
public record Seal(SealKind kind, byte[] value) {
  /**
   * @throws NullPointerException if an argument is null
   */
  public Seal {
    Objects.requireNonNull(kind, "kind");
    value = Objects.requireNonNull(value, "value").clone();
  }

  /** A copy of the seal's bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  byte[] valueRef() {
    return value;
  }
}
