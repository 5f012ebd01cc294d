package dev.warden.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.openai.error.AuthenticationException;
import dev.warden.openai.error.CircuitOpenException;
import dev.warden.openai.error.ConnectionPoolExhaustedException;
import dev.warden.openai.error.ContextLengthExceededException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.QuotaExceededException;
import dev.warden.openai.error.RateLimitException;
import dev.warden.openai.error.RedactionFailureException;
import dev.warden.openai.error.RequestRefusedException;
import dev.warden.openai.error.ServerErrorException;
import dev.warden.openai.error.UpstreamTimeoutException;
import org.junit.jupiter.api.Test;

class OpenAiExceptionMapperTest {

  @Test
  void callerMistakesKeepTheirStatusAndFields() {
    var m =
        OpenAiExceptionMapper.map(
            new ContextLengthExceededException(
                new ErrorInfo(
                    400,
                    "too long",
                    "invalid_request_error",
                    "context_length_exceeded",
                    "messages",
                    "req_1",
                    null),
                null));
    assertThat(m.status()).isEqualTo(400);
    assertThat(m.code()).isEqualTo("context_length_exceeded");
    assertThat(m.param()).isEqualTo("messages");
    assertThat(m.message()).isEqualTo("too long");
  }

  @Test
  void policyRefusalsAre400AndARedactionFailureIs500() {
    var blocked = OpenAiExceptionMapper.map(RequestRefusedException.piiBlocked("SECRET", null));
    assertThat(blocked.status()).isEqualTo(400);
    assertThat(blocked.type()).isEqualTo("invalid_request_error");
    assertThat(blocked.code()).isEqualTo("pii_blocked");
    assertThat(blocked.message()).contains("SECRET");
    var injection = OpenAiExceptionMapper.map(RequestRefusedException.promptInjection());
    assertThat(injection.status()).isEqualTo(400);
    assertThat(injection.code()).isEqualTo("prompt_injection_detected");
    var failed = OpenAiExceptionMapper.map(new RedactionFailureException(null));
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.code()).isEqualTo("redaction_failed");
  }

  @Test
  void anUpstreamAuthFailureIsABadGatewayThatNeverEchoesTheUpstreamMessage() {
    var m =
        OpenAiExceptionMapper.map(
            new AuthenticationException(
                ErrorInfo.of(401, "Incorrect API key provided: sk-abc***xyz"), null));
    assertThat(m.status()).isEqualTo(502);
    assertThat(m.message()).doesNotContain("sk-");
    assertThat(m.code()).isEqualTo("upstream_authentication_failed");
  }

  @Test
  void quotaAndRateLimitAreBoth429WithDifferentCodes() {
    assertThat(
            OpenAiExceptionMapper.map(new QuotaExceededException(ErrorInfo.of(429, "q"), null))
                .code())
        .isEqualTo("insufficient_quota");
    assertThat(
            OpenAiExceptionMapper.map(new RateLimitException(ErrorInfo.of(429, "r"), null)).code())
        .isEqualTo("rate_limit_exceeded");
  }

  @Test
  void outagesMapToGatewayStatuses() {
    assertThat(
            OpenAiExceptionMapper.map(new ServerErrorException(ErrorInfo.of(500, "x"), null))
                .status())
        .isEqualTo(502);
    assertThat(
            OpenAiExceptionMapper.map(new UpstreamTimeoutException(ErrorInfo.transport("x"), null))
                .status())
        .isEqualTo(504);
    assertThat(
            OpenAiExceptionMapper.map(new CircuitOpenException(ErrorInfo.of(503, "x"), null))
                .status())
        .isEqualTo(503);
    assertThat(
            OpenAiExceptionMapper.map(
                    new ConnectionPoolExhaustedException(ErrorInfo.transport("x"), null))
                .status())
        .isEqualTo(503);
  }
}
