package dev.warden.ai.service;

import dev.warden.call.Callers;
import dev.warden.call.IdempotencyScope;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Reads who calls an {@link AiService} method on the calling thread, before MicroProfile Fault
 * Tolerance's interceptor (priority 4010) may move the call to another one; {@link CallerRestore}
 * binds it where the call runs. Also gives the invocation its one idempotency key.
 */
@AiServiceCall
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
class CallerCapture {

  static final String KEY = CallerCapture.class.getName();

  /** The invocation's idempotency key, the same for every attempt ({@link IdempotencyScope}). */
  static final String IDEMPOTENCY_KEY = KEY + ".idempotency";

  @Inject Callers callers;

  @AroundInvoke
  Object capture(InvocationContext context) throws Exception {
    context.getContextData().put(KEY, callers.current());
    context.getContextData().put(IDEMPOTENCY_KEY, IdempotencyScope.newInvocationKey());
    return context.proceed();
  }
}
