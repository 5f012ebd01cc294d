package dev.warden.openai;

import java.util.Locale;

/** The dialect an upstream speaks; see {@link Upstream}. */
public enum UpstreamKind {
  /** OpenAI itself: {@code Authorization: Bearer <key>}, {@code <base-url>/chat/completions}. */
  OPENAI,
  /**
   * Azure OpenAI: {@code api-key: <key>}, {@code
   * <base-url>/openai/deployments/<deployment>/chat/completions?api-version=<version>}.
   */
  AZURE,
  /** A self-hosted OpenAI-compatible server (vLLM, Ollama, ...): Bearer key or none. */
  OPENAI_COMPATIBLE;

  /** The configuration spelling: {@code openai}, {@code azure}, {@code openai-compatible}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static UpstreamKind parse(String key, String value) {
    for (UpstreamKind kind : values()) {
      if (kind.wire().equalsIgnoreCase(value.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        key + " must be openai, azure or openai-compatible: " + value);
  }
}
