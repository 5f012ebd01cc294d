package dev.warden.call;

import dev.warden.openai.error.OpenAiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the attempts of one call met upstream: MicroProfile Fault Tolerance re-invokes the client
 * with the same arguments, so this is how an attempt learns what the previous one met (for {@code
 * Retry-After}) and how the caller learns what happened (attempts, delays, which model answered,
 * whether a fallback was used). Thread-safe.
 */
public final class UpstreamAttempts {

  private final List<Duration> delays = new ArrayList<>();
  private int attempts;
  private int fallbackAttempts;
  private OpenAiException lastFailure;
  private String answeredBy;
  private String modelSnapshot;
  private String upstreamRequestId;
  private String answeredUpstream;
  private FallbackKind fallback = FallbackKind.NONE;

  /** Starts an attempt of the requested model; returns its number (1 for the first). */
  public synchronized int begin() {
    return ++attempts;
  }

  public synchronized void beginFallback() {
    fallbackAttempts++;
  }

  public synchronized void failed(OpenAiException failure) {
    this.lastFailure = failure;
  }

  public synchronized void delayed(Duration delay) {
    delays.add(delay);
  }

  public synchronized void answered(
      String model, String snapshot, String upstreamRequestId, FallbackKind kind) {
    answered(model, snapshot, upstreamRequestId, kind, null);
  }

  /** The answer came from the upstream named {@code upstream} ({@code null}: not known). */
  public synchronized void answered(
      String model, String snapshot, String upstreamRequestId, FallbackKind kind, String upstream) {
    this.answeredBy = model;
    this.modelSnapshot = snapshot;
    this.upstreamRequestId = upstreamRequestId;
    this.fallback = kind;
    this.answeredUpstream = upstream;
  }

  /** The name of the upstream that answered; {@code null} for the deterministic answer. */
  public synchronized String answeredUpstream() {
    return answeredUpstream;
  }

  /** Attempts of the requested model that reached (or tried to reach) the upstream. */
  public synchronized int attempts() {
    return attempts;
  }

  public synchronized int fallbackAttempts() {
    return fallbackAttempts;
  }

  public synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  public synchronized OpenAiException lastFailure() {
    return lastFailure;
  }

  /** The model that produced the answer (the requested one, a fallback, or "warden-fallback"). */
  public synchronized String answeredBy() {
    return answeredBy;
  }

  /** The model snapshot the upstream reported (e.g. gpt-4o-2024-08-06), when it said. */
  public synchronized String modelSnapshot() {
    return modelSnapshot;
  }

  public synchronized String upstreamRequestId() {
    return upstreamRequestId;
  }

  public synchronized FallbackKind fallback() {
    return fallback;
  }
}
