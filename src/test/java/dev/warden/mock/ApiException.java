package dev.warden.mock;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** An OpenAI-style API error: rendered as {@code {"error":{message,type,param,code}}}. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String param;
  private final String code;

  ApiException(int status, String type, String message, String param, String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  static ApiException invalid(String param, String message) {
    return new ApiException(400, "invalid_request_error", message, param, null);
  }

  static ApiException invalid(String param, String message, String code) {
    return new ApiException(400, "invalid_request_error", message, param, code);
  }

  static ApiException notFound(String param, String message) {
    return new ApiException(404, "invalid_request_error", message, param, null);
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, "invalid_request_error", message, null, "invalid_api_key");
  }

  int status() {
    return status;
  }

  /** The error response body. */
  JsonObject toJson() {
    return body(getMessage(), type, param, code);
  }

  static JsonObject body(String message, String type, String param, String code) {
    JsonObjectBuilder error =
        JsonSupport.JSON.createObjectBuilder().add("message", message).add("type", type);
    JsonSupport.addNullable(error, "param", param);
    JsonSupport.addNullable(error, "code", code);
    return JsonSupport.JSON.createObjectBuilder().add("error", error).build();
  }
}
