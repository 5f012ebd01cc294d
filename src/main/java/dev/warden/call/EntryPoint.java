package dev.warden.call;

/** Where a call entered Warden; recorded with the call. */
public enum EntryPoint {
  /** An application bean that injected {@code OpenAi}. */
  CDI,
  /** The OpenAI-compatible HTTP surface under {@code /v1}. */
  V1,
  /** Warden's own HTTP API under {@code /api}. */
  API
}
