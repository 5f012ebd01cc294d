package dev.warden.it;

import dev.warden.call.CallFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records every {@link CallFinished} of a call started since the last {@link #clear()} in
 * integration-test deployments. A call started earlier (a deferred call or a background response,
 * which the poller may finish long after the test that made it, even in a later deployment on the
 * same database) belongs to another test and is left out.
 */
@ApplicationScoped
public class CallLog {

  private final List<CallFinished> calls = new ArrayList<>();
  private final Map<String, String> threads = new HashMap<>();
  private Instant since = Instant.MIN;

  synchronized void record(@Observes CallFinished call) {
    if (call.startedAt().isBefore(since)) {
      return;
    }
    calls.add(call);
    threads.put(call.requestId(), Thread.currentThread().getName());
    notifyAll();
  }

  /** The thread a call finished on (where its pipeline ran, for calls that are not streams). */
  public synchronized String thread(CallFinished call) {
    return threads.get(call.requestId());
  }

  public synchronized List<CallFinished> calls() {
    return List.copyOf(calls);
  }

  /** Forgets the calls recorded so far and every call started before now. */
  public synchronized void clear() {
    since = Instant.now();
    calls.clear();
    threads.clear();
  }

  /**
   * The finished calls that match {@code which} once there are {@code n} of them, waiting up to
   * {@code timeout}; fewer when the time ran out.
   */
  public synchronized List<CallFinished> await(
      java.util.function.Predicate<CallFinished> which, int n, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<CallFinished> matching = calls.stream().filter(which).toList();
      long left = end - System.nanoTime();
      if (matching.size() >= n || left <= 0) {
        return matching;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** The first finished call, waiting up to {@code timeout} for one to arrive. */
  public synchronized Optional<CallFinished> await(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (calls.isEmpty()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return Optional.of(calls.get(0));
  }
}
