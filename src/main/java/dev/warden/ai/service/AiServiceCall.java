package dev.warden.ai.service;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds {@link CallerCapture} and {@link CallerRestore} to the prompt methods of an {@link
 * AiService}'s intercepted instance ({@link AiServiceExtension}), around MicroProfile Fault
 * Tolerance's interceptor: the caller is read where the method was called and bound where it runs,
 * also when {@code @Asynchronous} runs it on another thread.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface AiServiceCall {

  /** The binding as a value. */
  final class Literal extends AnnotationLiteral<AiServiceCall> implements AiServiceCall {
    private static final long serialVersionUID = 1L;
    static final Literal INSTANCE = new Literal();
  }
}
