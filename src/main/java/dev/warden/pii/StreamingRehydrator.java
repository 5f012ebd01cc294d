package dev.warden.pii;

import java.util.Objects;

/**
 * Restores placeholders in text that arrives in chunks (server-sent event deltas), where a
 * placeholder may be split across chunks ({@code <EMA} + {@code IL_1} + {@code >}). {@link
 * #push(String)} returns what can be emitted now and holds back only a trailing possible
 * placeholder prefix (at most 64 characters); {@link #flush()} returns the rest at the end of the
 * stream. The {@linkplain #jsonString(PlaceholderVault) JSON variant} escapes restored values for
 * the inside of a JSON string (tool-call argument deltas).
 *
 * <p>One instance per stream (per choice, per tool call); not thread-safe.
 */
public final class StreamingRehydrator {

  private final PlaceholderVault vault;
  private final boolean json;
  private final StringBuilder pending = new StringBuilder();

  private StreamingRehydrator(PlaceholderVault vault, boolean json) {
    this.vault = Objects.requireNonNull(vault, "vault");
    this.json = json;
  }

  /** A rehydrator for plain text deltas. */
  public static StreamingRehydrator text(PlaceholderVault vault) {
    return new StreamingRehydrator(vault, false);
  }

  /**
   * A rehydrator for deltas of a JSON text (tool-call arguments): restored values are JSON-escaped.
   */
  public static StreamingRehydrator jsonString(PlaceholderVault vault) {
    return new StreamingRehydrator(vault, true);
  }

  /** Accepts the next chunk and returns the text that can be emitted now (possibly empty). */
  public String push(String chunk) {
    if (chunk == null || chunk.isEmpty()) {
      return "";
    }
    if (pending.length() == 0 && chunk.indexOf('<') < 0) {
      return chunk;
    }
    pending.append(chunk);
    StringBuilder out = new StringBuilder(pending.length());
    int stop = Placeholders.restore(pending, 0, pending.length(), vault, json, true, out);
    pending.delete(0, stop);
    return out.toString();
  }

  /** Returns whatever is still held back; call once at the end of the stream. */
  public String flush() {
    StringBuilder out = new StringBuilder(pending.length());
    Placeholders.restore(pending, 0, pending.length(), vault, json, false, out);
    pending.setLength(0);
    return out.toString();
  }

  /** How many characters are currently held back. */
  public int pendingLength() {
    return pending.length();
  }

  @Override
  public String toString() {
    return "StreamingRehydrator[json=" + json + ", pending=" + pending.length() + " chars]";
  }
}
