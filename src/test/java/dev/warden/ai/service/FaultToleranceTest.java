package dev.warden.ai.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultToleranceTest {

  interface Service {
    @Timeout(50)
    @Fallback(fallbackMethod = "slowFallback")
    String slow(String in);

    default String slowFallback(String in) {
      return "fallback " + in;
    }

    @Retry(maxRetries = 2, delay = 100, jitter = 0, abortOn = IllegalStateException.class)
    String flaky();

    @Fallback(fallbackMethod = "missing")
    String broken();

    @CircuitBreaker
    String breaker();

    @Fallback(fallbackMethod = "slowFallback", skipOn = IllegalStateException.class)
    String skipping(String in);
  }

  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final List<Duration> slept = new ArrayList<>();
  private final Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private static Method method(String name) throws NoSuchMethodException {
    for (Method m : Service.class.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new NoSuchMethodException(name);
  }

  private FaultTolerance policy(String name, Map<String, String> config) throws Exception {
    return FaultTolerance.of(
        Service.class, method(name), key -> Optional.ofNullable(config.get(key)));
  }

  private Object run(FaultTolerance ft, FaultTolerance.Call call) throws Throwable {
    return ft.run(
        call,
        failure -> "fallback after " + failure.getClass().getSimpleName(),
        executor,
        slept::add,
        clock);
  }

  @Test
  void aTimeoutInterruptsTheCallAndTheFallbackAnswers() throws Throwable {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    FaultTolerance ft = policy("slow", Map.of());

    Object result =
        run(
            ft,
            () -> {
              try {
                never.await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
              return "late";
            });

    assertEquals("fallback after TimeoutException", result);
    assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the timed-out call was interrupted");
  }

  @Test
  void withoutFallbackTheTimeoutExceptionReachesTheCaller() throws Exception {
    FaultTolerance ft =
        policy("slow", Map.of(Service.class.getName() + "/slow/Fallback/enabled", "false"));
    CountDownLatch never = new CountDownLatch(1);

    assertThrows(
        TimeoutException.class,
        () ->
            run(
                ft,
                () -> {
                  never.await();
                  return "late";
                }));
  }

  @Test
  void retriesUpToMaxRetriesWithTheConfiguredDelay() throws Throwable {
    FaultTolerance ft = policy("flaky", Map.of());
    AtomicInteger calls = new AtomicInteger();

    assertThrows(
        IllegalArgumentException.class,
        () ->
            run(
                ft,
                () -> {
                  calls.incrementAndGet();
                  throw new IllegalArgumentException("boom");
                }));
    assertEquals(3, calls.get());
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), slept);

    calls.set(0);
    Object ok =
        run(
            ft,
            () -> {
              if (calls.incrementAndGet() < 2) {
                throw new IllegalArgumentException("once");
              }
              return "ok";
            });
    assertEquals("ok", ok);
    assertEquals(2, calls.get());
  }

  @Test
  void abortOnStopsRetryingAndConfigOverridesMaxRetries() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(
        IllegalStateException.class,
        () ->
            run(
                policy("flaky", Map.of()),
                () -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("no");
                }));
    assertEquals(1, calls.get());

    calls.set(0);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            run(
                policy("flaky", Map.of(Service.class.getName() + "/flaky/Retry/maxRetries", "5")),
                () -> {
                  calls.incrementAndGet();
                  throw new IllegalArgumentException("boom");
                }));
    assertEquals(6, calls.get());
  }

  @Test
  void skipOnBypassesTheFallback() throws Exception {
    FaultTolerance ft = policy("skipping", Map.of());
    assertThrows(
        IllegalStateException.class,
        () ->
            run(
                ft,
                () -> {
                  throw new IllegalStateException("skip");
                }));
    assertNull(ft.timeoutMillis());
  }

  @Test
  void unsupportedAnnotationsAndMissingFallbackMethodsAreDeploymentProblems() throws Exception {
    assertTrue(
        FaultTolerance.problems(Service.class, method("breaker"))
            .get(0)
            .contains("@CircuitBreaker"));
    assertTrue(FaultTolerance.problems(Service.class, method("broken")).get(0).contains("missing"));
    assertEquals(List.of(), FaultTolerance.problems(Service.class, method("slow")));
  }
}
