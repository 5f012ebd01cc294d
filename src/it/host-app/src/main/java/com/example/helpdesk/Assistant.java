package com.example.helpdesk;

import dev.warden.ai.service.AiService;
import dev.warden.ai.service.Prompt;
import dev.warden.ai.service.Var;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The helpdesk's AI service: Warden implements it; MicroProfile Fault Tolerance's annotations are
 * applied by the server's own Fault Tolerance feature.
 */
@AiService(model = "gpt-4o-mini")
public interface Assistant {

  /** A reply to a customer; a canned one while the AI is failing. */
  @Prompt(id = "draft-reply", version = "1.0.0")
  @CircuitBreaker(
      requestVolumeThreshold = 4,
      failureRatio = 0.5,
      delay = 60,
      delayUnit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "cannedReply")
  String draftReply(@Var("ticket") String ticket);

  default String cannedReply(String ticket) {
    return "Thank you for your message. An agent will answer shortly.";
  }

  /** A reply, retried; META-INF/microprofile-config.properties lowers maxRetries to 1. */
  @Prompt(id = "draft-reply", version = "1.0.0")
  @Retry(maxRetries = 5, delay = 10, jitter = 0)
  String retriedReply(@Var("ticket") String ticket);

  /** A summary, made on another thread. */
  @Prompt(id = "ticket-summary", version = "1.0.0")
  @Asynchronous
  @Timeout(value = 20, unit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "noSummary")
  CompletionStage<Summary> summarize(@Var("ticket") String ticket);

  default CompletionStage<Summary> noSummary(String ticket) {
    return CompletableFuture.completedFuture(new Summary("(no summary)", false));
  }
}
