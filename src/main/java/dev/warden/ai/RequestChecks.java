package dev.warden.ai;

import dev.warden.openai.error.BadRequestException;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NotFoundException;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.ChatMessage;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.EmbeddingRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameter checks OpenAI would make, made before any upstream call so that a request the
 * upstream would refuse costs nothing and never leaves: ranges of sampling parameters and token
 * limits, message roles, and unknown models. Errors have OpenAI's wording, type, code and param.
 */
final class RequestChecks {

  static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private RequestChecks() {}

  static void check(ChatCompletionRequest r) {
    decimal("temperature", r.temperature(), 0, 2);
    decimal("top_p", r.topP(), 0, 1);
    decimal("frequency_penalty", r.frequencyPenalty(), -2, 2);
    decimal("presence_penalty", r.presencePenalty(), -2, 2);
    integer("n", r.n(), 1, 128);
    integer("top_logprobs", r.topLogprobs(), 0, 20);
    integer("max_tokens", r.maxTokens(), 1, Integer.MAX_VALUE);
    integer("max_completion_tokens", r.maxCompletionTokens(), 1, Integer.MAX_VALUE);
    if (r.logitBias() != null) {
      for (Map.Entry<String, Integer> e : r.logitBias().entrySet()) {
        integer("logit_bias." + e.getKey(), e.getValue(), -100, 100);
      }
    }
    List<ChatMessage> messages = r.messages();
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      String param = "messages[" + i + "]";
      if (m == null) {
        throw invalid(
            "Invalid type for '" + param + "': expected an object, but got null instead.",
            "invalid_type",
            param);
      }
      if (m.role() == null) {
        throw invalid(
            "Missing required parameter: '" + param + ".role'.",
            "missing_required_parameter",
            param + ".role");
      }
      if (!ROLES.contains(m.role())) {
        throw invalid(
            "Invalid value: '"
                + m.role()
                + "'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool',"
                + " and 'developer'.",
            "invalid_value",
            param + ".role");
      }
    }
  }

  static void check(CreateResponseRequest r) {
    decimal("temperature", r.temperature(), 0, 2);
    decimal("top_p", r.topP(), 0, 1);
    integer("top_logprobs", r.topLogprobs(), 0, 20);
    integer("max_output_tokens", r.maxOutputTokens(), 16, Integer.MAX_VALUE);
    integer("max_tool_calls", r.maxToolCalls(), 1, Integer.MAX_VALUE);
  }

  static void check(EmbeddingRequest r) {
    integer("dimensions", r.dimensions(), 1, Integer.MAX_VALUE);
    if (r.encodingFormat() != null
        && !r.encodingFormat().equals("float")
        && !r.encodingFormat().equals("base64")) {
      throw invalid(
          "Invalid value: '"
              + r.encodingFormat()
              + "'. Supported values are: 'float' and 'base64'.",
          "invalid_value",
          "encoding_format");
    }
  }

  /** OpenAI's answer to a model it does not have (404 {@code model_not_found}). */
  static NotFoundException unknownModel(String model) {
    return new NotFoundException(
        new ErrorInfo(
            404,
            "The model `" + model + "` does not exist or you do not have access to it.",
            "invalid_request_error",
            "model_not_found",
            "model",
            null,
            null),
        null);
  }

  private static void decimal(String param, Double value, double min, double max) {
    if (value == null) {
      return;
    }
    if (value.isNaN() || value < min) {
      throw invalid(
          "Invalid '"
              + param
              + "': decimal below minimum value. Expected a value >= "
              + plain(min)
              + ", but got "
              + plain(value)
              + " instead.",
          "decimal_below_min_value",
          param);
    }
    if (value > max) {
      throw invalid(
          "Invalid '"
              + param
              + "': decimal above maximum value. Expected a value <= "
              + plain(max)
              + ", but got "
              + plain(value)
              + " instead.",
          "decimal_above_max_value",
          param);
    }
  }

  private static void integer(String param, Integer value, int min, int max) {
    if (value == null) {
      return;
    }
    if (value < min) {
      throw invalid(
          "Invalid '"
              + param
              + "': integer below minimum value. Expected a value >= "
              + min
              + ", but got "
              + value
              + " instead.",
          "integer_below_min_value",
          param);
    }
    if (value > max) {
      throw invalid(
          "Invalid '"
              + param
              + "': integer above maximum value. Expected a value <= "
              + max
              + ", but got "
              + value
              + " instead.",
          "integer_above_max_value",
          param);
    }
  }

  private static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  static BadRequestException invalid(String message, String code, String param) {
    return new BadRequestException(
        new ErrorInfo(400, message, "invalid_request_error", code, param, null, null), null);
  }
}
