package dev.warden.openai.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiErrorsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static Function<String, String> headers(String... pairs) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map::get;
  }

  private static String body(String type, String code, String param) {
    return jakarta.json.Json.createObjectBuilder()
        .add(
            "error",
            jakarta.json.Json.createObjectBuilder()
                .add("message", "upstream says no")
                .add("type", type)
                .add(
                    "code",
                    code == null
                        ? jakarta.json.JsonValue.NULL
                        : jakarta.json.Json.createValue(code))
                .add(
                    "param",
                    param == null
                        ? jakarta.json.JsonValue.NULL
                        : jakarta.json.Json.createValue(param)))
        .build()
        .toString();
  }

  @ParameterizedTest(name = "{0} {2} -> {3}")
  @CsvSource({
    "400, invalid_request_error, , BadRequestException, false",
    "400, invalid_request_error, context_length_exceeded, ContextLengthExceededException, false",
    "401, invalid_request_error, invalid_api_key, AuthenticationException, false",
    "403, invalid_request_error, unsupported_country_region_territory, PermissionDeniedException, false",
    "404, invalid_request_error, model_not_found, NotFoundException, false",
    "408, server_error, , RequestTimeoutException, true",
    "409, invalid_request_error, , ConflictException, true",
    "422, invalid_request_error, , UnprocessableEntityException, false",
    "429, requests, rate_limit_exceeded, RateLimitException, true",
    "429, insufficient_quota, insufficient_quota, QuotaExceededException, false",
    "500, server_error, , ServerErrorException, true",
    "502, server_error, , ServerErrorException, true",
    "503, server_error, , ServerErrorException, true",
    "418, invalid_request_error, , UnexpectedStatusException, false",
  })
  void mapsStatusAndCodeToTheTypedException(
      int status, String type, String code, String expected, boolean retriable) {
    OpenAiException e =
        OpenAiErrors.fromResponse(
            status, body(type, code, "messages"), headers("x-request-id", "req_123"), NOW);

    assertThat(e.getClass().getSimpleName()).isEqualTo(expected);
    assertThat(e.isRetriable()).isEqualTo(retriable);
    assertThat(e)
        .isInstanceOf(
            retriable ? RetriableOpenAiException.class : NonRetriableOpenAiException.class);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.type()).isEqualTo(type);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.param()).isEqualTo("messages");
    assertThat(e.requestId()).isEqualTo("req_123");
    assertThat(e.getMessage()).isEqualTo("upstream says no");
  }

  @Test
  void insufficientQuotaIsToldApartFromRateLimitsAndIsNotRetriable() {
    OpenAiException quota =
        OpenAiErrors.fromResponse(
            429, body("insufficient_quota", "insufficient_quota", null), headers(), NOW);
    OpenAiException rate =
        OpenAiErrors.fromResponse(
            429, body("requests", "rate_limit_exceeded", null), headers(), NOW);

    assertThat(quota).isInstanceOf(QuotaExceededException.class);
    assertThat(quota.isRetriable()).isFalse();
    assertThat(rate).isInstanceOf(RateLimitException.class);
    assertThat(rate.isRetriable()).isTrue();
  }

  @Test
  void bodiesThatAreNotOpenAiErrorsStillMapByStatus() {
    OpenAiException html =
        OpenAiErrors.fromResponse(502, "<html>bad gateway</html>", headers(), NOW);
    OpenAiException empty = OpenAiErrors.fromResponse(503, "", headers(), NOW);
    OpenAiException array = OpenAiErrors.fromResponse(400, "[1,2]", headers(), NOW);

    assertThat(html).isInstanceOf(ServerErrorException.class);
    assertThat(html.getMessage()).isEqualTo("upstream answered HTTP 502");
    assertThat(empty).isInstanceOf(ServerErrorException.class);
    assertThat(array).isInstanceOf(BadRequestException.class);
    assertThat(array.code()).isNull();
  }

  @Test
  void longMessagesAreCut() {
    String longMessage = "x".repeat(5000);
    String json =
        jakarta.json.Json.createObjectBuilder()
            .add("error", jakarta.json.Json.createObjectBuilder().add("message", longMessage))
            .build()
            .toString();
    assertThat(OpenAiErrors.fromResponse(400, json, headers(), NOW).getMessage()).hasSize(503);
  }

  @Test
  void retryAfterMillisWinsOverSeconds() {
    assertThat(
            OpenAiErrors.retryAfter(headers("retry-after-ms", "1500.5", "retry-after", "9"), NOW))
        .isEqualTo(Duration.ofNanos(1_500_500_000L));
  }

  @Test
  void retryAfterSecondsAndHttpDates() {
    assertThat(OpenAiErrors.retryAfter(headers("Retry-After", "2"), NOW))
        .isEqualTo(Duration.ofSeconds(2));
    String date =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
            .withLocale(Locale.ROOT)
            .format(NOW.plusSeconds(7).atZone(java.time.ZoneOffset.UTC));
    assertThat(OpenAiErrors.retryAfter(headers("retry-after", date), NOW))
        .isEqualTo(Duration.ofSeconds(7));
    String past =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
            .withLocale(Locale.ROOT)
            .format(NOW.minusSeconds(7).atZone(java.time.ZoneOffset.UTC));
    assertThat(OpenAiErrors.retryAfter(headers("retry-after", past), NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void unreadableOrNegativeRetryHintsAreIgnored() {
    assertThat(OpenAiErrors.retryAfter(headers(), NOW)).isNull();
    assertThat(OpenAiErrors.retryAfter(headers("retry-after", "soon"), NOW)).isNull();
    assertThat(OpenAiErrors.retryAfter(headers("retry-after", "-3"), NOW)).isNull();
    assertThat(OpenAiErrors.retryAfter(headers("retry-after-ms", "abc", "retry-after", "1"), NOW))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theRetryHintTravelsWithTheException() {
    OpenAiException e =
        OpenAiErrors.fromResponse(
            429, body("requests", "rate_limit_exceeded", null), headers("Retry-After", "2"), NOW);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
  }
}
