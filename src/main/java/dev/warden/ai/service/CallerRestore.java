package dev.warden.ai.service;

import dev.warden.call.Caller;
import dev.warden.call.IdempotencyScope;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.util.concurrent.Callable;

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
    Object key = context.getContextData().get(CallerCapture.IDEMPOTENCY_KEY);
    Callable<Object> attempt =
        key instanceof String k
            ? () -> IdempotencyScope.call(k, context::proceed)
            : context::proceed;
    if (!(caller instanceof Caller c)) {
      return attempt.call();
    }
    return Caller.callAs(c, attempt);
  }
}
