package dev.warden.call;

/** What the caller does with screened content. */
public enum GuardAction {
  /** Below the threshold: pass. */
  ALLOW,
  /** At or above the threshold, configured to flag: pass, but record it (audit, headers). */
  FLAG,
  /** At or above the threshold, configured to block: refuse the request. */
  BLOCK
}
