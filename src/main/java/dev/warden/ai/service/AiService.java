package dev.warden.ai.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an AI service: an interface Warden implements and the application {@code @Inject}s.
 * Every abstract method names its prompt with {@link Prompt}; its parameters fill the prompt's
 * variables (by {@link Var} or by parameter name); its return type says what the call returns:
 *
 * <ul>
 *   <li>{@code String}: the answer's text;
 *   <li>a record or class: a structured output whose strict JSON schema is generated from the type
 *       ({@link JsonSchemas}), checked against that schema and the type's Bean Validation
 *       constraints, then bound;
 *   <li>{@code Flow.Publisher<StreamEvent>}: the answer streamed.
 * </ul>
 *
 * MicroProfile Fault Tolerance's {@code @Timeout}, {@code @Retry} and {@code @Fallback} on the
 * methods apply as documented by that specification (see {@link FaultTolerance}). Every call goes
 * through the one {@link dev.warden.ai.Pipeline}: redaction, screening, resilience, audit.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AiService {
  /** The model every method uses unless its {@link Prompt#model()} names another. */
  String model() default "";

  /**
   * The CDI bean classes whose {@link Tool} methods this service offers the model. Warden runs the
   * tool loop: parallel tool calls, at most {@link #maxToolRounds()} rounds, a timeout per tool,
   * and each {@code call_id} executed at most once.
   */
  Class<?>[] tools() default {};

  /** How many rounds of tool calls one method call may take before it fails. */
  int maxToolRounds() default 5;

  /**
   * The OpenAI API the service's tool-using methods run their tool loop on: Chat Completions
   * ({@code tool_calls} answered with {@code tool} messages, the default) or the Responses API
   * ({@code function_call} output items answered with {@code function_call_output} items). Methods
   * without tools use Chat Completions either way.
   */
  Api api() default Api.CHAT_COMPLETIONS;

  /** The OpenAI API a tool loop runs on; see {@link AiService#api()}. */
  enum Api {
    /** {@code POST /chat/completions}. */
    CHAT_COMPLETIONS,
    /** {@code POST /responses}. */
    RESPONSES
  }
}
