package dev.warden.ai.service;

import dev.warden.call.Callers;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Reads who calls an {@link AiService} method on the calling thread, before MicroProfile Fault
 * Tolerance's interceptor (priority 4010) may move the call to another one; {@link CallerRestore}
 * binds it where the call runs.
 */
@AiServiceCall
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
class CallerCapture {

  static final String KEY = CallerCapture.class.getName();

  @Inject Callers callers;

  @AroundInvoke
  Object capture(InvocationContext context) throws Exception {
    context.getContextData().put(KEY, callers.current());
    return context.proceed();
  }
}
