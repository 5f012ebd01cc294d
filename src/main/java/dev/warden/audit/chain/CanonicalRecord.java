package dev.warden.audit.chain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The canonical, versioned, unambiguous bytes of a record's hashed content: an ordered list of
 * named, typed fields.
 *
 * <p>Encoding (all integers big-endian): the format version byte ({@value #FORMAT_VERSION}), the
 * field count (4 bytes), then per field its name (4-byte length, UTF-8), a type tag byte, and the
 * value: {@code NULL} (tag 0) nothing; {@code STRING} (1) 4-byte length and UTF-8; {@code LONG} (2)
 * 8 bytes; {@code BYTES} (3) 4-byte length and the bytes; {@code BOOLEAN} (4) one byte 0 or 1.
 * Field names are part of the content, so renaming or reordering fields changes it; names must be
 * unique. Two records encode equally only if they have the same fields, in the same order, with the
 * same types and values.
 *
 * <p>Hash ciphertexts, not plaintexts: the chain must still verify after a subject's key is erased.
 * Timestamps go in as microseconds since the epoch ({@link Builder#instant}), which both PostgreSQL
 * and H2 store exactly; decimals as strings ({@code BigDecimal.toPlainString()}) or scaled longs.
 * Immutable.
 */
public final class CanonicalRecord {
  /** Version of this encoding. */
  public static final int FORMAT_VERSION = 1;

  static final int NULL = 0;
  static final int STRING = 1;
  static final int LONG = 2;
  static final int BYTES = 3;
  static final int BOOLEAN = 4;

  private final byte[] encoded;
  private final List<String> fieldNames;

  private CanonicalRecord(byte[] encoded, List<String> fieldNames) {
    this.encoded = encoded;
    this.fieldNames = fieldNames;
  }

  /** A builder with no fields. */
  public static Builder builder() {
    return new Builder();
  }

  /** A copy of the canonical bytes. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The field names, in order. */
  public List<String> fieldNames() {
    return fieldNames;
  }

  void writeTo(java.security.MessageDigest digest) {
    digest.update(encoded);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanonicalRecord && Arrays.equals(encoded, ((CanonicalRecord) o).encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "CanonicalRecord" + fieldNames;
  }

  /**
   * Adds fields in order. Every method throws {@link NullPointerException} for a null name and
   * {@link IllegalArgumentException} for an empty or repeated name. Not thread-safe.
   */
  public static final class Builder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<String> names = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    private Builder() {}

    /** A string field; {@code null} is encoded as NULL. */
    public Builder string(String name, String value) {
      if (value == null) {
        return nullField(name);
      }
      name(name, STRING);
      lengthPrefixed(value.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** A whole-number field. */
    public Builder number(String name, long value) {
      name(name, LONG);
      writeLong(value);
      return this;
    }

    /** A whole-number field; {@code null} is encoded as NULL. */
    public Builder number(String name, Long value) {
      return value == null ? nullField(name) : number(name, value.longValue());
    }

    /** A byte-array field (a ciphertext, a hash); {@code null} is encoded as NULL. */
    public Builder bytes(String name, byte[] value) {
      if (value == null) {
        return nullField(name);
      }
      name(name, BYTES);
      lengthPrefixed(value);
      return this;
    }

    /** A boolean field; {@code null} is encoded as NULL. */
    public Builder bool(String name, Boolean value) {
      if (value == null) {
        return nullField(name);
      }
      name(name, BOOLEAN);
      out.write(value ? 1 : 0);
      return this;
    }

    /**
     * A timestamp, as a LONG of microseconds since the epoch; {@code null} is encoded as NULL.
     *
     * @throws IllegalArgumentException if it has sub-microsecond precision: truncate it ({@code
     *     truncatedTo(ChronoUnit.MICROS)}) before both storing and hashing, or the database's
     *     rounding breaks the hash
     */
    public Builder instant(String name, Instant value) {
      if (value == null) {
        return nullField(name);
      }
      if (!value.truncatedTo(ChronoUnit.MICROS).equals(value)) {
        throw new IllegalArgumentException(name + ": truncate the timestamp to microseconds");
      }
      return number(
          name,
          Math.addExact(
              Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000));
    }

    /** An explicit NULL field. */
    public Builder nullField(String name) {
      name(name, NULL);
      return this;
    }

    /** The record. The builder can go on to build a longer one. */
    public CanonicalRecord build() {
      ByteArrayOutputStream all = new ByteArrayOutputStream(out.size() + 5);
      all.write(FORMAT_VERSION);
      writeInt(all, names.size());
      byte[] body = out.toByteArray();
      all.write(body, 0, body.length);
      return new CanonicalRecord(all.toByteArray(), List.copyOf(names));
    }

    private void name(String name, int type) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("field names must not be empty");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("repeated field " + name);
      }
      names.add(name);
      lengthPrefixed(name.getBytes(StandardCharsets.UTF_8));
      out.write(type);
    }

    private void lengthPrefixed(byte[] bytes) {
      writeInt(out, bytes.length);
      out.write(bytes, 0, bytes.length);
    }

    private void writeLong(long v) {
      writeInt(out, (int) (v >>> 32));
      writeInt(out, (int) v);
    }
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
