package dev.warden.pii;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reversible mapping between original values and placeholders, for one request or one
 * conversation. Numbering is stable per type: the first e-mail address is {@code <EMAIL_1>} and
 * stays so for every later occurrence, a second, different address is {@code <EMAIL_2>}. Lookups go
 * both ways. Thread-safe. {@link #toString()} shows counts only, never a value.
 *
 * <p>{@link #toBytes()} / {@link #fromBytes(byte[])} export and import the whole vault (a versioned
 * binary format holding the values in clear: encrypt it before storing it).
 */
public final class PlaceholderVault {

  private static final int MAGIC = 0x57505631; // "WPV1"
  private static final int MAX_ENTRIES = 1_000_000;

  private final Map<String, String> byKey = new HashMap<>(); // type + '\0' + value -> placeholder
  private final Map<String, String> byPlaceholder = new HashMap<>(); // placeholder -> value
  private final Map<String, Integer> counters = new HashMap<>(); // type -> last number
  private int maxPlaceholderLength;

  /** An empty vault. */
  public PlaceholderVault() {}

  /**
   * The placeholder of {@code value} as a {@code type}: the existing one, or the next number of
   * that type.
   */
  public synchronized String placeholder(EntityType type, String value) {
    String key = type.name() + '\0' + value;
    String existing = byKey.get(key);
    if (existing != null) {
      return existing;
    }
    if (byPlaceholder.size() >= MAX_ENTRIES) {
      throw new IllegalStateException("Placeholder vault is full");
    }
    int number = counters.merge(type.name(), 1, Integer::sum);
    String placeholder = format(type.name(), number);
    put(key, placeholder, value);
    return placeholder;
  }

  /** The original value of a placeholder such as {@code <EMAIL_1>}, if this vault issued it. */
  public synchronized Optional<String> lookup(String placeholder) {
    return Optional.ofNullable(byPlaceholder.get(placeholder));
  }

  /** The value of a placeholder, or {@code null}; package-internal fast path. */
  synchronized String valueOf(String placeholder) {
    return byPlaceholder.get(placeholder);
  }

  /** How many placeholders this vault holds. */
  public synchronized int size() {
    return byPlaceholder.size();
  }

  /** Whether the vault holds no placeholder. */
  public synchronized boolean isEmpty() {
    return byPlaceholder.isEmpty();
  }

  /** The length of the longest placeholder issued so far (0 when empty). */
  synchronized int maxPlaceholderLength() {
    return maxPlaceholderLength;
  }

  /**
   * The whole vault as bytes (values in clear): a magic number and version, then each placeholder's
   * type, number and value. {@link #fromBytes(byte[])} reads it back.
   */
  public synchronized byte[] toBytes() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(byPlaceholder.size());
      for (Map.Entry<String, String> e : byKey.entrySet()) {
        String key = e.getKey();
        int nul = key.indexOf('\0');
        writeString(out, key.substring(0, nul));
        String placeholder = e.getValue();
        out.writeInt(number(placeholder));
        writeString(out, key.substring(nul + 1));
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A vault read from {@link #toBytes()}'s output; later placeholders continue each type's
   * numbering.
   *
   * @throws IllegalArgumentException when the bytes are not a vault (the message quotes no value)
   */
  public static PlaceholderVault fromBytes(byte[] data) {
    PlaceholderVault vault = new PlaceholderVault();
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("Not a placeholder vault (bad magic or version)");
      }
      int count = in.readInt();
      if (count < 0 || count > MAX_ENTRIES) {
        throw new IllegalArgumentException("Corrupt placeholder vault (entry count)");
      }
      for (int i = 0; i < count; i++) {
        EntityType type = new EntityType(readString(in));
        int number = in.readInt();
        String value = readString(in);
        if (number < 1) {
          throw new IllegalArgumentException("Corrupt placeholder vault (number)");
        }
        String placeholder = format(type.name(), number);
        if (vault.byPlaceholder.containsKey(placeholder)) {
          throw new IllegalArgumentException("Corrupt placeholder vault (duplicate entry)");
        }
        vault.put(type.name() + '\0' + value, placeholder, value);
        vault.counters.merge(type.name(), number, Math::max);
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException("Corrupt placeholder vault (trailing bytes)");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Corrupt placeholder vault (truncated)", e);
    }
    return vault;
  }

  private void put(String key, String placeholder, String value) {
    byKey.put(key, placeholder);
    byPlaceholder.put(placeholder, value);
    maxPlaceholderLength = Math.max(maxPlaceholderLength, placeholder.length());
  }

  private static String format(String type, int number) {
    return "<" + type + "_" + number + ">";
  }

  private static int number(String placeholder) {
    int underscore = placeholder.lastIndexOf('_');
    return Integer.parseInt(placeholder.substring(underscore + 1, placeholder.length() - 1));
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IllegalArgumentException("Corrupt placeholder vault (string length)");
    }
    byte[] b = new byte[length];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized String toString() {
    return "PlaceholderVault[" + byPlaceholder.size() + " placeholders]";
  }
}
