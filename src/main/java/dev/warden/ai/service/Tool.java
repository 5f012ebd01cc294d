package dev.warden.ai.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method of a CDI bean a function tool. It is offered only to the AI services that list its
 * bean class in {@link AiService#tools()}. Its parameters (named by {@link Var}, or by their names
 * when compiled with {@code -parameters}) become a strict JSON schema generated like a typed
 * result's ({@link JsonSchemas}); its return value goes back to the model as JSON (a {@code String}
 * as it is), redacted by the pipeline and delimited as untrusted content.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {
  /** The function's name; empty uses the method's name. */
  String name() default "";

  /** What the tool does, for the model. */
  String description() default "";

  /** How long one execution may take before it is abandoned (its result is then an error). */
  long timeoutMillis() default 10_000;
}
