package dev.warden.pii;

import java.util.Locale;

/** What redaction does with a detected value of one {@link EntityType}. */
public enum PiiAction {
  /**
   * Replaced by a reversible placeholder ({@code <EMAIL_1>}) kept in a {@link PlaceholderVault}.
   */
  PLACEHOLDER,
  /** Replaced by a partial mask ({@code ****1234}, {@code j***@example.com}); not reversible. */
  MASK,
  /**
   * Replaced by a keyed, truncated hash token ({@code <EMAIL_HASH_3f9a1c2b>}): equal values give
   * equal tokens under the same key; not reversible.
   */
  HASH,
  /** The whole request is refused with a {@link dev.warden.call.refusal.PiiBlockedRefusal}. */
  BLOCK,
  /** Left as is (detection off for this type). */
  ALLOW;

  /**
   * Parses a configured value ({@code placeholder}, {@code mask}, {@code hash}, {@code block},
   * {@code allow}), case-insensitively.
   *
   * @throws IllegalArgumentException naming the key when the value is unknown
   */
  public static PiiAction parse(String key, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key + " must be one of placeholder, mask, hash, block, allow: " + value, e);
    }
  }
}
