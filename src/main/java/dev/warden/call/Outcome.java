package dev.warden.call;

/** How a call ended. */
public enum Outcome {
  /** An answer reached the caller (possibly from a fallback). */
  SUCCEEDED,
  /** The call failed; the caller got an error. */
  FAILED,
  /** The caller went away (or cancelled) before the end; the upstream request was aborted. */
  CANCELLED
}
