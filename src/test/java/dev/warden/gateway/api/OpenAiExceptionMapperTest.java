package dev.warden.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.call.refusal.ContextWindowRefusal;
import dev.warden.call.refusal.ModelNotAllowedRefusal;
import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.PromptInjectionRefusal;
import dev.warden.call.refusal.RedactionFailedRefusal;
import dev.warden.openai.error.AuthenticationException;
import dev.warden.openai.error.CircuitOpenException;
import dev.warden.openai.error.ConnectionPoolExhaustedException;
import dev.warden.openai.error.ContextLengthExceededException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.QuotaExceededException;
import dev.warden.openai.error.RateLimitException;
import dev.warden.openai.error.ServerErrorException;
import dev.warden.openai.error.UpstreamTimeoutException;
import java.util.List;
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
    var blocked = OpenAiExceptionMapper.map(new PiiBlockedRefusal("SECRET"));
    assertThat(blocked.status()).isEqualTo(400);
    assertThat(blocked.type()).isEqualTo("invalid_request_error");
    assertThat(blocked.code()).isEqualTo("pii_blocked");
    assertThat(blocked.message()).contains("SECRET");
    var injection = OpenAiExceptionMapper.map(new PromptInjectionRefusal());
    assertThat(injection.status()).isEqualTo(400);
    assertThat(injection.code()).isEqualTo("prompt_injection_detected");
    var failed = OpenAiExceptionMapper.map(new RedactionFailedRefusal("PII detection failed"));
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.code()).isEqualTo("redaction_failed");
  }

  @Test
  void wardensOtherRefusalsKeepTheirStatusTypeCodeAndParam() {
    var window = OpenAiExceptionMapper.map(new ContextWindowRefusal(8192, 9000, 10, "messages"));
    assertThat(window.status()).isEqualTo(400);
    assertThat(window.type()).isEqualTo("invalid_request_error");
    assertThat(window.code()).isEqualTo("context_length_exceeded");
    assertThat(window.param()).isEqualTo("messages");
    assertThat(window.message()).startsWith("This model's maximum context length is 8192 tokens.");
    var model = OpenAiExceptionMapper.map(new ModelNotAllowedRefusal("gpt-4o"));
    assertThat(model.status()).isEqualTo(403);
    assertThat(model.type()).isEqualTo("invalid_request_error");
    assertThat(model.code()).isEqualTo("model_not_allowed");
    assertThat(model.param()).isEqualTo("model");
    var output = OpenAiExceptionMapper.map(new OutputValidationRefusal(List.of("$.sku: pattern")));
    assertThat(output.status()).isEqualTo(502);
    assertThat(output.type()).isEqualTo("server_error");
    assertThat(output.code()).isEqualTo("output_validation_failed");
    assertThat(output.message()).contains("$.sku: pattern");
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
