package dev.warden.ai.service;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * MicroProfile Fault Tolerance's annotations as they appear on {@link AiService} methods. They are
 * applied by the runtime's own Fault Tolerance interceptor ({@link AiServiceExtension}); this class
 * only says which methods carry them and refuses, at start-up, the declarations that could not work
 * on an interface.
 */
final class FaultToleranceAnnotations {

  static final List<Class<? extends Annotation>> ALL =
      List.of(
          Retry.class,
          Timeout.class,
          CircuitBreaker.class,
          Bulkhead.class,
          Fallback.class,
          Asynchronous.class);

  private FaultToleranceAnnotations() {}

  /** Whether {@code method} declares any Fault Tolerance annotation. */
  static boolean declaredOn(Method method) {
    return ALL.stream().anyMatch(method::isAnnotationPresent);
  }

  /** Problems with the Fault Tolerance declarations of {@code method} that stop the deployment. */
  static List<String> problems(Class<?> service, Method method, boolean streams) {
    String where = service.getName() + "." + method.getName();
    List<String> out = new ArrayList<>();
    for (Class<? extends Annotation> a : ALL) {
      if (service.isAnnotationPresent(a)) {
        out.add(
            service.getName()
                + ": @"
                + a.getSimpleName()
                + " on an AI service interface is not applied (the runtime reads type-level"
                + " annotations from the implementing class); put it on the methods");
      }
    }
    if (streams && declaredOn(method)) {
      out.add(
          where
              + ": Fault Tolerance annotations do not apply to a stream (it is opened when"
              + " subscribed); handle failures in the subscriber");
    }
    Class<?> returns = method.getReturnType();
    if (method.isAnnotationPresent(Asynchronous.class)
        && returns != CompletionStage.class
        && returns != Future.class) {
      out.add(where + ": an @Asynchronous method returns CompletionStage<T> or Future<T>");
    }
    Fallback fallback = method.getAnnotation(Fallback.class);
    if (fallback != null && !fallback.fallbackMethod().isEmpty()) {
      try {
        Method target = service.getMethod(fallback.fallbackMethod(), method.getParameterTypes());
        if (!target.isDefault() || !returns.isAssignableFrom(target.getReturnType())) {
          out.add(
              where
                  + ": fallbackMethod "
                  + fallback.fallbackMethod()
                  + " must be a default method of the interface returning "
                  + returns.getSimpleName());
        }
      } catch (NoSuchMethodException e) {
        out.add(
            where
                + ": fallbackMethod "
                + fallback.fallbackMethod()
                + " with the same parameters not found");
      }
    }
    return out;
  }
}
