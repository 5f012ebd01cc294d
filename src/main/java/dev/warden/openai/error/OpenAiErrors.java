package dev.warden.openai.error;

import dev.warden.config.Jsonp;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Maps an upstream HTTP failure (status, OpenAI error body, headers) to the exception hierarchy.
 * Pure: no I/O, so every row of the status table in docs/errors.md is unit-tested.
 */
public final class OpenAiErrors {

  /** {@code code} of a 429 that means "out of credit" rather than "slow down". */
  public static final String INSUFFICIENT_QUOTA = "insufficient_quota";

  /** {@code code} of a 400 whose prompt does not fit the model's context window. */
  public static final String CONTEXT_LENGTH_EXCEEDED = "context_length_exceeded";

  private static final int MAX_MESSAGE = 500;

  private OpenAiErrors() {}

  /**
   * The exception for one failed exchange.
   *
   * @param status the HTTP status (400 and above)
   * @param body the response body, possibly empty or not JSON
   * @param header looks up a response header by (case-insensitive) name, {@code null} if absent
   * @param now the current time, to turn an HTTP-date {@code Retry-After} into a duration
   */
  public static OpenAiException fromResponse(
      int status, String body, Function<String, String> header, Instant now) {
    JsonObject error = errorObject(body);
    String type = string(error, "type");
    String code = string(error, "code");
    String param = string(error, "param");
    String message = string(error, "message");
    if (message == null) {
      message = "upstream answered HTTP " + status;
    } else if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    ErrorInfo info =
        new ErrorInfo(
            status,
            message,
            type,
            code,
            param,
            header.apply("x-request-id"),
            retryAfter(header, now));
    return forStatus(info);
  }

  static OpenAiException forStatus(ErrorInfo info) {
    int status = info.status();
    if (status == 400) {
      return CONTEXT_LENGTH_EXCEEDED.equals(info.code())
          ? new ContextLengthExceededException(info, null)
          : new BadRequestException(info, null);
    }
    if (status == 401) {
      return new AuthenticationException(info, null);
    }
    if (status == 403) {
      return new PermissionDeniedException(info, null);
    }
    if (status == 404) {
      return new NotFoundException(info, null);
    }
    if (status == 408) {
      return new RequestTimeoutException(info, null);
    }
    if (status == 409) {
      return new ConflictException(info, null);
    }
    if (status == 422) {
      return new UnprocessableEntityException(info, null);
    }
    if (status == 429) {
      return INSUFFICIENT_QUOTA.equals(info.code()) || INSUFFICIENT_QUOTA.equals(info.type())
          ? new QuotaExceededException(info, null)
          : new RateLimitException(info, null);
    }
    if (status >= 500) {
      return new ServerErrorException(info, null);
    }
    return new UnexpectedStatusException(info, null);
  }

  /**
   * The server's retry hint: {@code retry-after-ms} (milliseconds, may be fractional) wins over
   * {@code retry-after} (seconds, or an HTTP date). {@code null} when absent, unreadable or
   * negative.
   */
  public static Duration retryAfter(Function<String, String> header, Instant now) {
    String millis = header.apply("retry-after-ms");
    if (millis != null) {
      try {
        double ms = Double.parseDouble(millis.trim());
        if (ms >= 0 && !Double.isInfinite(ms)) {
          return Duration.ofNanos((long) (ms * 1_000_000));
        }
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String value = header.apply("retry-after");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(value.trim());
      return seconds >= 0 && !Double.isInfinite(seconds)
          ? Duration.ofMillis((long) (seconds * 1000))
          : null;
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at =
            ZonedDateTime.parse(
                    value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                .toInstant();
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static JsonObject errorObject(String body) {
    if (body == null || body.isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    try (JsonReader reader = Jsonp.createReader(new StringReader(body))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        return JsonValue.EMPTY_JSON_OBJECT;
      }
      JsonValue error = value.asJsonObject().get("error");
      if (error != null && error.getValueType() == JsonValue.ValueType.OBJECT) {
        return error.asJsonObject();
      }
      return value.asJsonObject();
    } catch (JsonParsingException | IllegalStateException notJson) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
  }

  private static String string(JsonObject object, String key) {
    JsonValue value = object.get(key);
    if (value instanceof JsonString) {
      return ((JsonString) value).getString();
    }
    if (value != null && value.getValueType() == JsonValue.ValueType.NUMBER) {
      return value.toString();
    }
    return null;
  }
}
