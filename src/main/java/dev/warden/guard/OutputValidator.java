package dev.warden.guard;

import dev.warden.call.refusal.OutputValidationRefusal;
import dev.warden.config.Jsonp;
import dev.warden.openai.internal.SharedJsonb;
import dev.warden.openai.model.ChatChoice;
import dev.warden.openai.model.ChatCompletion;
import dev.warden.openai.model.ChatCompletionRequest;
import dev.warden.openai.model.CreateResponseRequest;
import dev.warden.openai.model.FunctionDefinition;
import dev.warden.openai.model.ModelResponse;
import dev.warden.openai.model.ResponseContent;
import dev.warden.openai.model.ResponseItem;
import dev.warden.openai.model.Tool;
import dev.warden.openai.model.ToolCall;
import dev.warden.openai.stream.StreamResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Output validation before action: what the model returned is checked before it is handed to anyone
 * who could act on it. Checked, for whole answers and completed streams alike:
 *
 * <ul>
 *   <li>a structured output ({@code response_format} / {@code text.format} of type {@code
 *       json_schema}) against its schema, and a {@code json_object} output for being a JSON object;
 *   <li>every proposed tool call: the tool was offered, its arguments are a JSON object that
 *       matches the tool's {@code parameters} schema, and every application {@link
 *       ToolCallValidator} that applies approves it;
 *   <li>for typed results ({@link #bind}): map entries with unique keys ({@link StructuredJson}),
 *       then the bound object's Jakarta Bean Validation constraints.
 * </ul>
 *
 * A failure throws {@link OutputValidationRefusal} listing every violation: the answer is withheld,
 * the call is reported and audited as failed. Refusals (no content) are not validated.
 */
@ApplicationScoped
public class OutputValidator {

  private final SchemaCheck schemas = new SchemaCheck();

  @Inject @Any Instance<ToolCallValidator> applicationValidators;
  @Inject Validator beanValidator;

  private List<ToolCallValidator> fixedValidators;

  /** For CDI. */
  protected OutputValidator() {}

  /** Outside CDI (tests, tools): the given application validators and Bean Validation. */
  public OutputValidator(List<ToolCallValidator> validators, Validator beanValidator) {
    this.fixedValidators = List.copyOf(validators);
    this.beanValidator = beanValidator;
  }

  /** Checks a chat completion (after rehydration) against what {@code request} asked for. */
  public void check(ChatCompletionRequest request, ChatCompletion answer) {
    Expectation expected = Expectation.of(request);
    List<OutputViolation> violations = new ArrayList<>();
    if (answer.choices() != null) {
      for (ChatChoice choice : answer.choices()) {
        if (choice == null || choice.message() == null) {
          continue;
        }
        String at = "choices[" + choice.index() + "]";
        if (choice.message().refusal() == null) {
          checkText(expected, choice.message().text(), at, violations);
        }
        if (choice.message().toolCalls() != null) {
          for (ToolCall call : choice.message().toolCalls()) {
            if (call != null && call.function() != null) {
              checkCall(
                  expected,
                  call.id(),
                  call.function().name(),
                  call.function().arguments(),
                  violations);
            }
          }
        }
      }
    }
    throwIfAny(violations);
  }

  /** Checks a Responses API answer (after rehydration) against what {@code request} asked for. */
  public void check(CreateResponseRequest request, ModelResponse answer) {
    Expectation expected = Expectation.of(request);
    List<OutputViolation> violations = new ArrayList<>();
    if (answer.output() != null) {
      int i = 0;
      for (ResponseItem item : answer.output()) {
        String at = "output[" + i++ + "]";
        if (item == null) {
          continue;
        }
        if ("function_call".equals(item.type())) {
          checkCall(expected, item.callId(), item.name(), item.arguments(), violations);
        } else if ("message".equals(item.type()) && !isRefusal(item)) {
          checkText(expected, item.text(), at, violations);
        }
      }
    }
    throwIfAny(violations);
  }

  /** Checks a completed chat stream's assembled result. */
  public void check(ChatCompletionRequest request, StreamResult result) {
    checkStream(Expectation.of(request), result);
  }

  /** Checks a completed Responses stream's assembled result. */
  public void check(CreateResponseRequest request, StreamResult result) {
    checkStream(Expectation.of(request), result);
  }

  /**
   * Binds a structured output to {@code type} and checks it: the JSON against {@code schema} (when
   * given), the keys of maps sent as entries ({@link StructuredJson#forBinding}), then the object's
   * Bean Validation constraints.
   *
   * @throws OutputValidationRefusal listing every violation
   */
  public <T> T bind(String json, JsonObject schema, Class<T> type) {
    List<OutputViolation> violations = new ArrayList<>();
    if (schema != null) {
      violations.addAll(schemas.check(schema, json));
      throwIfAny(violations);
    }
    String shaped = json;
    JsonValue parsed = StructuredJson.holdsMap(type) ? parseValue(json) : null;
    if (parsed != null) {
      // maps travel as arrays of {key, value} entries (strict mode has no open objects)
      shaped = StructuredJson.forBinding(parsed, type, "$", violations).toString();
      throwIfAny(violations);
    }
    T value;
    try {
      value = SharedJsonb.JSONB.fromJson(shaped, type);
    } catch (JsonbException | JsonParsingException e) {
      throw new OutputValidationRefusal(
          List.of("$: the output cannot be bound to " + type.getSimpleName()));
    }
    if (value == null) {
      throw new OutputValidationRefusal(List.of("$: no output"));
    }
    for (ConstraintViolation<T> v : beanValidator.validate(value)) {
      violations.add(new OutputViolation("$." + v.getPropertyPath(), v.getMessage()));
    }
    throwIfAny(violations);
    return value;
  }

  private void checkStream(Expectation expected, StreamResult result) {
    List<OutputViolation> violations = new ArrayList<>();
    if (result.text() != null && !result.text().isEmpty()) {
      checkText(expected, result.text(), "output", violations);
    }
    for (ToolCall call : result.toolCalls()) {
      if (call != null && call.function() != null) {
        checkCall(
            expected, call.id(), call.function().name(), call.function().arguments(), violations);
      }
    }
    throwIfAny(violations);
  }

  private void checkText(
      Expectation expected, String text, String at, List<OutputViolation> violations) {
    if (expected.outputSchema != null) {
      for (OutputViolation v : schemas.check(expected.outputSchema, text)) {
        violations.add(new OutputViolation(at + v.location().substring(1), v.message()));
      }
    } else if (expected.jsonObject && parseObject(text) == null) {
      violations.add(new OutputViolation(at, "the output is not a JSON object"));
    }
  }

  private void checkCall(
      Expectation expected,
      String callId,
      String name,
      String arguments,
      List<OutputViolation> violations) {
    String at = "tool_calls[" + callId + "]";
    if (!expected.tools.containsKey(name)) {
      violations.add(new OutputViolation(at, "the model called a tool that was not offered"));
      return;
    }
    JsonObject parsed = parseObject(arguments);
    if (parsed == null) {
      violations.add(new OutputViolation(at, "the arguments are not a JSON object"));
      return;
    }
    JsonObject schema = expected.tools.get(name);
    if (schema != null) {
      List<OutputViolation> found = schemas.check(schema, arguments);
      for (OutputViolation v : found) {
        violations.add(new OutputViolation(at + v.location().substring(1), v.message()));
      }
      if (!found.isEmpty()) {
        return;
      }
    }
    ProposedToolCall call = new ProposedToolCall(callId, name, parsed);
    for (ToolCallValidator validator : validators()) {
      try {
        if (validator.appliesTo(name)) {
          for (OutputViolation v : validator.validate(call)) {
            violations.add(new OutputViolation(at + " " + v.location(), v.message()));
          }
        }
      } catch (RuntimeException e) {
        violations.add(
            new OutputViolation(
                at, "the validator " + validator.getClass().getSimpleName() + " failed"));
      }
    }
  }

  private Iterable<ToolCallValidator> validators() {
    return fixedValidators != null ? fixedValidators : applicationValidators;
  }

  private static boolean isRefusal(ResponseItem item) {
    if (item.content() == null || item.contentIsString()) {
      return false;
    }
    for (ResponseContent c : item.content()) {
      if (c != null && "refusal".equals(c.type())) {
        return true;
      }
    }
    return false;
  }

  private static JsonObject parseObject(String json) {
    return parseValue(json) instanceof JsonObject o ? o : null;
  }

  private static JsonValue parseValue(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try (var reader = Jsonp.createReader(new StringReader(json))) {
      return reader.readValue();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void throwIfAny(List<OutputViolation> violations) {
    if (!violations.isEmpty()) {
      throw new OutputValidationRefusal(
          violations.stream().map(OutputViolation::toString).toList());
    }
  }

  /** What a request asked for: an output schema or JSON object, and the offered function tools. */
  private static final class Expectation {
    JsonObject outputSchema;
    boolean jsonObject;
    final Map<String, JsonObject> tools = new HashMap<>(); // name -> parameters (null: any)

    static Expectation of(ChatCompletionRequest request) {
      Expectation e = new Expectation();
      if (request.responseFormat() != null) {
        String type = request.responseFormat().type();
        if ("json_schema".equals(type) && request.responseFormat().jsonSchema() != null) {
          e.outputSchema = request.responseFormat().jsonSchema().schema();
        }
        e.jsonObject = "json_object".equals(type);
      }
      if (request.tools() != null) {
        for (Tool tool : request.tools()) {
          FunctionDefinition f = tool == null ? null : tool.function();
          if (f != null && f.name() != null) {
            e.tools.put(f.name(), f.parameters());
          }
        }
      }
      return e;
    }

    static Expectation of(CreateResponseRequest request) {
      Expectation e = new Expectation();
      if (request.text() != null && request.text().format() != null) {
        String type = request.text().format().type();
        if ("json_schema".equals(type)) {
          e.outputSchema = request.text().format().schema();
        }
        e.jsonObject = "json_object".equals(type);
      }
      if (request.tools() != null) {
        for (JsonObject tool : request.tools()) {
          if (tool != null
              && "function".equals(stringOf(tool, "type"))
              && stringOf(tool, "name") != null) {
            JsonValue parameters = tool.get("parameters");
            e.tools.put(
                stringOf(tool, "name"),
                parameters instanceof JsonObject ? (JsonObject) parameters : null);
          }
        }
      }
      return e;
    }

    private static String stringOf(JsonObject o, String key) {
      JsonValue v = o.get(key);
      return v instanceof JsonString ? ((JsonString) v).getString() : null;
    }
  }
}
