package dev.warden.openai.stream;

import dev.warden.config.Jsonp;
import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.MalformedResponseException;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.error.RateLimitException;
import dev.warden.openai.error.ServerErrorException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;

/** Reading event payloads, and the errors that streams carry in band. */
final class StreamErrors {
  private StreamErrors() {}

  static JsonObject parse(SseEvent event, String requestId) {
    try (JsonReader reader = Jsonp.createReader(new StringReader(event.data()))) {
      return reader.readObject();
    } catch (JsonParsingException | IllegalStateException | ClassCastException e) {
      throw new MalformedResponseException(
          new ErrorInfo(
              0, "the upstream sent an unreadable stream event", null, null, null, requestId, null),
          e);
    }
  }

  /** An in-band error object ({@code {message, type, code, param}}) as an exception. */
  static OpenAiException inBand(JsonObject error, String requestId) {
    String type = string(error, "type");
    String code = string(error, "code");
    String message = string(error, "message");
    ErrorInfo info =
        new ErrorInfo(
            0,
            message == null ? "the upstream reported an error in the stream" : message,
            type,
            code,
            string(error, "param"),
            requestId,
            null);
    if ("rate_limit_exceeded".equals(code)) {
      return new RateLimitException(info, null);
    }
    if (type == null || "server_error".equals(type) || "server_error".equals(code)) {
      return new ServerErrorException(info, null);
    }
    return new BadRequestException(info, null);
  }

  static String string(JsonObject object, String key) {
    JsonValue value = object == null ? null : object.get(key);
    if (value instanceof JsonString) {
      return ((JsonString) value).getString();
    }
    return value == null || value.getValueType() == JsonValue.ValueType.NULL
        ? null
        : value.toString();
  }
}
