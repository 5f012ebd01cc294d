package dev.warden.ai;

import dev.warden.openai.stream.TokenUsage;

/**
 * What one call sent upstream and what came back, in its kind's own types: the request after
 * redaction (placeholders, not values) and the answer before restoration. The record stage reports
 * both ({@link dev.warden.call.CallFinished}); the usage comes from the answer.
 */
final class Traffic<Req, Ans> {

  private final CallKind<Req, Ans> kind;
  private volatile Req sent;
  private volatile Ans received;

  Traffic(CallKind<Req, Ans> kind) {
    this.kind = kind;
  }

  /** The traffic of an operation without a kind (retrieve, list, files): nothing recorded. */
  static Traffic<Void, Void> none() {
    return new Traffic<>(null);
  }

  void sent(Req request) {
    this.sent = request;
  }

  void received(Ans answer) {
    this.received = answer;
  }

  /** The request as sent upstream, {@code null} before. */
  Req sent() {
    return sent;
  }

  /** The answer as the upstream gave it, {@code null} before. */
  Ans received() {
    return received;
  }

  /** The answer the audit record keeps, {@code null} when none (or the kind keeps none). */
  Ans recorded() {
    return received != null && kind.recordsAnswer() ? received : null;
  }

  /** The tokens the upstream's answer reports, none before it answered. */
  TokenUsage usage() {
    return received == null ? TokenUsage.NONE : kind.usage(received);
  }
}
