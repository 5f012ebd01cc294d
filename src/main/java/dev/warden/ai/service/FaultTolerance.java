package dev.warden.ai.service;

import dev.warden.ai.Sleeper;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * MicroProfile Fault Tolerance for {@link AiService} methods. Interceptors bind to bean classes,
 * and an AI service's implementation is a synthetic {@link java.lang.reflect.Proxy}, so Liberty's
 * Fault Tolerance interceptor never sees its methods; Warden applies the annotations itself, with
 * the specification's semantics: {@link Fallback} around {@link Retry} around {@link Timeout};
 * {@code retryOn}/{@code abortOn}, {@code applyOn}/{@code skipOn}, {@code maxRetries}, {@code
 * delay}, {@code jitter}, {@code maxDuration}; a timeout interrupts the call and raises {@link
 * TimeoutException}; a fallback handler (a CDI bean) or a {@code fallbackMethod} (a {@code default}
 * method of the interface with the same parameters). Parameters are overridden through MicroProfile
 * Config exactly as the specification names them ({@code <interface>/<method>/Retry/maxRetries},
 * {@code <interface>/Retry/maxRetries}, {@code Retry/maxRetries}, and {@code .../enabled}; {@code
 * MP_Fault_Tolerance_NonFallback_Enabled}). {@link CircuitBreaker}, {@link Bulkhead} and {@link
 * Asynchronous} are refused at start-up rather than silently ignored (Warden's own circuit breaker
 * guards the upstream).
 */
final class FaultTolerance {

  /** The guarded call. */
  interface Call {
    Object call() throws Throwable;
  }

  /** Runs the fallback for a failure. */
  interface FallbackRunner {
    Object run(Throwable failure) throws Throwable;
  }

  private final Long timeoutMillis;
  private final RetryPolicy retry;
  private final Fallback fallback;
  private final List<Class<? extends Throwable>> applyOn;
  private final List<Class<? extends Throwable>> skipOn;

  record RetryPolicy(
      int maxRetries,
      long delayMillis,
      long jitterMillis,
      long maxDurationMillis,
      List<Class<? extends Throwable>> retryOn,
      List<Class<? extends Throwable>> abortOn) {}

  private FaultTolerance(
      Long timeoutMillis,
      RetryPolicy retry,
      Fallback fallback,
      List<Class<? extends Throwable>> applyOn,
      List<Class<? extends Throwable>> skipOn) {
    this.timeoutMillis = timeoutMillis;
    this.retry = retry;
    this.fallback = fallback;
    this.applyOn = applyOn;
    this.skipOn = skipOn;
  }

  /** Problems with the annotations of {@code method} that must stop the deployment. */
  static List<String> problems(Class<?> service, Method method) {
    List<String> out = new ArrayList<>();
    for (Class<? extends Annotation> refused :
        List.of(CircuitBreaker.class, Bulkhead.class, Asynchronous.class)) {
      if (method.isAnnotationPresent(refused) || service.isAnnotationPresent(refused)) {
        out.add(
            service.getName()
                + "."
                + method.getName()
                + ": @"
                + refused.getSimpleName()
                + " is not supported on AI service methods");
      }
    }
    Fallback fb = annotation(service, method, Fallback.class);
    if (fb != null && !fb.fallbackMethod().isEmpty()) {
      try {
        Method target = service.getMethod(fb.fallbackMethod(), method.getParameterTypes());
        if (!target.isDefault()
            || !method.getReturnType().isAssignableFrom(target.getReturnType())) {
          out.add(
              service.getName()
                  + "."
                  + method.getName()
                  + ": fallbackMethod "
                  + fb.fallbackMethod()
                  + " must be a default method of the interface returning "
                  + method.getReturnType().getSimpleName());
        }
      } catch (NoSuchMethodException e) {
        out.add(
            service.getName()
                + "."
                + method.getName()
                + ": fallbackMethod "
                + fb.fallbackMethod()
                + " with the same parameters not found");
      }
    }
    return out;
  }

  /** Whether any Fault Tolerance annotation applies to {@code method}. */
  static boolean annotated(Class<?> service, Method method) {
    return annotation(service, method, Timeout.class) != null
        || annotation(service, method, Retry.class) != null
        || annotation(service, method, Fallback.class) != null;
  }

  /**
   * The policy of {@code method}, with the MicroProfile Config overrides read via {@code config}.
   */
  static FaultTolerance of(
      Class<?> service, Method method, Function<String, Optional<String>> config) {
    Params p = new Params(service, method, config);
    boolean nonFallback =
        config
            .apply("MP_Fault_Tolerance_NonFallback_Enabled")
            .map(Boolean::parseBoolean)
            .orElse(true);
    Long timeout = null;
    Timeout t = annotation(service, method, Timeout.class);
    if (t != null && nonFallback && p.enabled("Timeout", t)) {
      ChronoUnit unit = p.get("Timeout", "unit", t).map(ChronoUnit::valueOf).orElse(t.unit());
      long value = p.get("Timeout", "value", t).map(Long::parseLong).orElse(t.value());
      timeout = Duration.of(value, unit).toMillis();
    }
    RetryPolicy retry = null;
    Retry r = annotation(service, method, Retry.class);
    if (r != null && nonFallback && p.enabled("Retry", r)) {
      retry =
          new RetryPolicy(
              p.get("Retry", "maxRetries", r).map(Integer::parseInt).orElse(r.maxRetries()),
              millis(p, r, "delay", r.delay(), "delayUnit", r.delayUnit()),
              millis(p, r, "jitter", r.jitter(), "jitterDelayUnit", r.jitterDelayUnit()),
              millis(p, r, "maxDuration", r.maxDuration(), "durationUnit", r.durationUnit()),
              Arrays.asList(r.retryOn()),
              Arrays.asList(r.abortOn()));
    }
    Fallback f = annotation(service, method, Fallback.class);
    if (f != null && !p.enabled("Fallback", f)) {
      f = null;
    }
    return new FaultTolerance(
        timeout,
        retry,
        f,
        f == null ? List.of() : Arrays.asList(f.applyOn()),
        f == null ? List.of() : Arrays.asList(f.skipOn()));
  }

  private static long millis(
      Params p, Annotation a, String name, long value, String unitName, ChronoUnit unit) {
    long v = p.get("Retry", name, a).map(Long::parseLong).orElse(value);
    ChronoUnit u = p.get("Retry", unitName, a).map(ChronoUnit::valueOf).orElse(unit);
    return Duration.of(v, u).toMillis();
  }

  Fallback fallback() {
    return fallback;
  }

  Long timeoutMillis() {
    return timeoutMillis;
  }

  RetryPolicy retry() {
    return retry;
  }

  /** Runs {@code call} under this policy. */
  Object run(
      Call call,
      FallbackRunner fallbackRunner,
      ExecutorService executor,
      Sleeper sleeper,
      Clock clock)
      throws Throwable {
    try {
      return retrying(call, executor, sleeper, clock);
    } catch (Throwable failure) {
      if (fallback != null && matches(failure, applyOn) && !matches(failure, skipOn)) {
        return fallbackRunner.run(failure);
      }
      throw failure;
    }
  }

  private Object retrying(Call call, ExecutorService executor, Sleeper sleeper, Clock clock)
      throws Throwable {
    long start = clock.millis();
    int retries = 0;
    while (true) {
      try {
        return timed(call, executor);
      } catch (Throwable failure) {
        if (retry == null
            || retries >= retry.maxRetries() && retry.maxRetries() != -1
            || !matches(failure, retry.retryOn())
            || matches(failure, retry.abortOn())) {
          throw failure;
        }
        long delay = retry.delayMillis();
        if (retry.jitterMillis() > 0) {
          delay =
              Math.max(
                  0,
                  delay
                      + ThreadLocalRandom.current()
                          .nextLong(-retry.jitterMillis(), retry.jitterMillis() + 1));
        }
        if (retry.maxDurationMillis() > 0
            && clock.millis() + delay - start >= retry.maxDurationMillis()) {
          throw failure;
        }
        if (delay > 0) {
          sleeper.sleep(Duration.ofMillis(delay));
        }
        retries++;
      }
    }
  }

  private Object timed(Call call, ExecutorService executor) throws Throwable {
    if (timeoutMillis == null) {
      return call.call();
    }
    Future<Object> future =
        executor.submit(
            () -> {
              try {
                return call.call();
              } catch (Exception | Error e) {
                throw e;
              } catch (Throwable t) {
                throw new ExecutionException(t);
              }
            });
    try {
      return future.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      future.cancel(true);
      throw new TimeoutException("timed out after " + timeoutMillis + " ms");
    } catch (ExecutionException e) {
      throw e.getCause();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  private static boolean matches(Throwable failure, List<Class<? extends Throwable>> types) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(failure)) {
        return true;
      }
    }
    return false;
  }

  private static <A extends Annotation> A annotation(
      Class<?> service, Method method, Class<A> type) {
    A a = method.getAnnotation(type);
    return a != null ? a : service.getAnnotation(type);
  }

  /** MicroProfile Config overrides of annotation parameters, most specific first. */
  private static final class Params {
    private final Class<?> service;
    private final Method method;
    private final Function<String, Optional<String>> config;

    Params(Class<?> service, Method method, Function<String, Optional<String>> config) {
      this.service = service;
      this.method = method;
      this.config = config;
    }

    Optional<String> get(String annotation, String param, Annotation present) {
      boolean onMethod = method.isAnnotationPresent(present.annotationType());
      Optional<String> v =
          onMethod
              ? config.apply(
                  service.getName() + "/" + method.getName() + "/" + annotation + "/" + param)
              : config.apply(service.getName() + "/" + annotation + "/" + param);
      return v.isPresent() ? v : config.apply(annotation + "/" + param);
    }

    boolean enabled(String annotation, Annotation present) {
      return get(annotation, "enabled", present).map(Boolean::parseBoolean).orElse(true);
    }
  }
}
