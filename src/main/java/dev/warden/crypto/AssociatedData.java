package dev.warden.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Canonical associated data for AEAD encryption.
 *
 * <p>The encoding is unambiguous: a 4-byte big-endian part count, then per part a 4-byte big-endian
 * length and the UTF-8 bytes. So {@code ("ab","c")} and {@code ("a","bc")} differ. Each use starts
 * with a versioned domain tag, so a field's associated data can never equal a subject key's.
 */
public final class AssociatedData {
  /** Domain tag of record fields. */
  public static final String FIELD_DOMAIN = "warden.audit.field.v1";

  /** Domain tag of wrapped subject data keys. */
  public static final String SUBJECT_KEY_DOMAIN = "warden.audit.subject-key.v1";

  private AssociatedData() {}

  /**
   * The associated data of one encrypted column value: binds the table, the column and the row id.
   *
   * @throws NullPointerException if any argument is null
   */
  public static byte[] forField(String table, String column, String rowId) {
    return encode(FIELD_DOMAIN, table, column, rowId);
  }

  /** {@link #forField(String, String, String)} with the row id as its canonical UUID string. */
  public static byte[] forField(String table, String column, UUID rowId) {
    return forField(table, column, Objects.requireNonNull(rowId, "rowId").toString());
  }

  /** The associated data that binds a wrapped data key to its subject. */
  public static byte[] forSubjectKey(String subjectId) {
    return encode(SUBJECT_KEY_DOMAIN, subjectId);
  }

  /**
   * SHA-256 (hex) of the length-prefixed encoding of {@code parts} ({@link #encode}), so their
   * boundaries count: a row id or hash that names several values without holding them.
   */
  public static String sha256Hex(String... parts) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encode(parts)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /**
   * Length-prefixed encoding of {@code parts} (count, then length and UTF-8 bytes of each).
   *
   * @throws NullPointerException if {@code parts} or any part is null
   */
  public static byte[] encode(String... parts) {
    Objects.requireNonNull(parts, "parts");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeInt(out, parts.length);
    for (String part : parts) {
      byte[] bytes =
          Objects.requireNonNull(part, "associated data part").getBytes(StandardCharsets.UTF_8);
      writeInt(out, bytes.length);
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
