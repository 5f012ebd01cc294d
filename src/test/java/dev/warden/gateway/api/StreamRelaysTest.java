package dev.warden.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.call.Caller;
import jakarta.ws.rs.container.AsyncResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamRelaysTest {

  /** What an AsyncResponse was told, and on which thread it was resumed. */
  static final class Recorded {
    final CompletableFuture<Object> resumedWith = new CompletableFuture<>();
    final CompletableFuture<String> resumedOn = new CompletableFuture<>();
    final CompletableFuture<Boolean> callerBoundThere = new CompletableFuture<>();
    final List<Long> timeouts = new ArrayList<>();

    AsyncResponse async() {
      return (AsyncResponse)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {AsyncResponse.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "resume" -> {
                    resumedOn.complete(Thread.currentThread().getName());
                    callerBoundThere.complete(Caller.bound().isPresent());
                    resumedWith.complete(args[0]);
                    return true;
                  }
                  case "setTimeout" -> {
                    timeouts.add(((TimeUnit) args[1]).toMillis((Long) args[0]));
                    return true;
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                }
              });
    }
  }

  /** Answers as the resource gives them; a stream to relay is one that says so. */
  private static final String STREAM = "a stream";

  private static final String JSON = "{}";

  private static void answer(StreamRelays relays, AsyncResponse async, Supplier<String> answer) {
    relays.answer(async, answer, STREAM::equals);
  }

  private final AtomicInteger contextApplied = new AtomicInteger();

  private StreamRelays virtual() {
    return new StreamRelays(
        task -> new Thread(task, "warden-stream-test"),
        task ->
            () -> {
              contextApplied.incrementAndGet();
              task.run();
            });
  }

  @AfterEach
  void unbind() {
    Caller.unbind();
  }

  @Test
  void aStreamIsWrittenOnARelayThreadInTheRequestsContextWithoutTheContainersTimeout()
      throws Exception {
    Recorded r = new Recorded();
    Caller.bind(Caller.of("alice"));
    answer(virtual(), r.async(), () -> STREAM);

    assertThat(r.resumedWith.get(5, TimeUnit.SECONDS)).isSameAs(STREAM);
    assertThat(r.resumedOn.get()).isEqualTo("warden-stream-test");
    assertThat(r.timeouts).containsExactly(0L);
    assertThat(contextApplied).hasValue(1);
    // the request thread's caller is gone (its response filter runs on the relay's thread)
    assertThat(Caller.bound()).isEmpty();
    assertThat(r.callerBoundThere.get()).isFalse();
  }

  @Test
  void anAnswerThatIsNoStreamIsWrittenOnTheRequestThread() throws Exception {
    Recorded r = new Recorded();
    Caller.bind(Caller.of("alice"));
    answer(virtual(), r.async(), () -> JSON);

    assertThat(r.resumedWith).isCompletedWithValue(JSON);
    assertThat(r.resumedOn).isCompletedWithValue(Thread.currentThread().getName());
    assertThat(r.timeouts).isEmpty();
    assertThat(contextApplied).hasValue(0);
    assertThat(Caller.bound()).isPresent(); // AccessFilter's response filter unbinds it here
  }

  @Test
  void withoutVirtualThreadsAStreamIsWrittenOnTheRequestThread() throws Exception {
    Recorded r = new Recorded();
    answer(new StreamRelays(null, task -> task), r.async(), () -> STREAM);

    assertThat(r.resumedWith).isCompletedWithValue(STREAM);
    assertThat(r.resumedOn).isCompletedWithValue(Thread.currentThread().getName());
    assertThat(r.timeouts).isEmpty();
  }

  @Test
  void aFailureResumesWithTheExceptionForTheMappers() throws Exception {
    Recorded r = new Recorded();
    IllegalStateException failure = new IllegalStateException("refused");

    answer(
        virtual(),
        r.async(),
        () -> {
          throw failure;
        });

    assertThat(r.resumedWith).isCompletedWithValue(failure);
    assertThat(r.resumedOn).isCompletedWithValue(Thread.currentThread().getName());
  }
}
