package dev.warden.call;

/** Whether, and how, a fallback produced the answer. */
public enum FallbackKind {
  /** The requested model answered. */
  NONE,
  /** Another model of the configured chain answered. */
  MODEL,
  /** Every model failed or the circuit was open: the configured deterministic answer. */
  DETERMINISTIC;

  /** The lower-case name used in the {@code x-warden-fallback} header. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
