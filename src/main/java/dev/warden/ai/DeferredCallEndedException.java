package dev.warden.ai;

import dev.warden.call.CallFinished;

/**
 * Why a deferred call ended without an answer when the upstream gave no error of its own for it:
 * its batch expired, was cancelled or failed, or held no result for it. Reported as the failure of
 * the call's {@link CallFinished}.
 */
public class DeferredCallEndedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public DeferredCallEndedException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** {@code batch_expired}, {@code batch_cancelled}, {@code batch_failed}, {@code no_result}. */
  public String code() {
    return code;
  }
}
