package dev.warden.ai.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The versioned prompt an {@link AiService} method sends ({@code config/prompts/<id>/<version>}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Prompt {
  /** The prompt's id: its folder under {@code config/prompts}. */
  String id();

  /**
   * The semantic version to pin, for example {@code "1.0.0"}; empty selects the newest published
   * version at start-up.
   */
  String version() default "";

  /** The model for this method; empty uses {@link AiService#model()}. */
  String model() default "";
}
