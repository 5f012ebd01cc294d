package dev.warden.audit.chain;

/**
 * How a checkpoint, purged range, export manifest or exported content is sealed. The kind's version
 * is part of the sealed bytes, so a seal cannot be passed off as the other kind.
 */
public enum SealKind {
  /**
   * A Tink HMAC-SHA256 tag under the checkpoint MAC keyset (version 1). Only a holder of the secret
   * key can check it, and whoever can check it can also forge it. Chains and exports sealed before
   * signing keys existed keep this kind.
   */
  MAC(1, "mac"),

  /**
   * A Tink Ed25519 signature under the signing keyset (version 2). Anyone with the public keyset
   * can check it; only the signing key, which stays outside the database, can make it.
   */
  ED25519(2, "signature");

  private final int version;
  private final String field;

  SealKind(int version, String field) {
    this.version = version;
    this.field = field;
  }

  /** The version number stored with the seal and covered by it. */
  public int version() {
    return version;
  }

  /**
   * The JSON member that carries a seal of this kind in an export ({@code mac} or {@code
   * signature}, with a prefix such as {@code content_} where the export has several).
   */
  public String field() {
    return field;
  }

  /**
   * The kind of version {@code version}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static SealKind ofVersion(int version) {
    for (SealKind k : values()) {
      if (k.version == version) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown seal version " + version);
  }
}
