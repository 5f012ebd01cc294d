package dev.warden.ai.service;

import dev.warden.call.Caller;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Binds the caller {@link CallerCapture} read to the thread that runs an {@link AiService} method's
 * call, after MicroProfile Fault Tolerance's interceptor (priority 4010): every attempt of a
 * {@code @Retry} and an {@code @Asynchronous} call run as the caller who made it.
 */
@AiServiceCall
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 1000)
class CallerRestore {

  @AroundInvoke
  Object restore(InvocationContext context) throws Exception {
    Object caller = context.getContextData().get(CallerCapture.KEY);
    if (!(caller instanceof Caller c)) {
      return context.proceed();
    }
    return Caller.callAs(c, context::proceed);
  }
}
