package dev.warden.ai;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stages waiting, in this server's memory, for deferred calls to end ({@link
 * DeferredCalls#whenDone}). After every poll the poller wakes them: each waiting call's row is read
 * back, so a call another server finished completes its stage here too. A restart loses the stages,
 * never the calls.
 */
@ApplicationScoped
public class DeferredWaiters {

  private static final Logger LOG = Logger.getLogger(DeferredCalls.class.getName());

  private final DeferredStore store;
  private final Map<String, CompletableFuture<DeferredCall>> waiting = new ConcurrentHashMap<>();

  @Inject
  DeferredWaiters(DeferredStore store) {
    this.store = store;
  }

  /** For CDI's client proxy. */
  protected DeferredWaiters() {
    this(null);
  }

  /** A stage completed with the call's final state once {@code id} has ended. */
  CompletionStage<DeferredCall> whenDone(String id) {
    CompletableFuture<DeferredCall> stage =
        waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    // it may have ended before the stage was registered
    wake(id);
    return stage.thenApply(d -> d);
  }

  /** Completes the stages of the calls that have ended; returns how many. */
  int wake() {
    int woken = 0;
    for (String id : waiting.keySet()) {
      if (wake(id)) {
        woken++;
      }
    }
    return woken;
  }

  private boolean wake(String id) {
    try {
      DeferredCall now = store.find(id).map(DeferredCallEntity::view).orElse(null);
      if (now == null || !now.done()) {
        return false;
      }
      CompletableFuture<DeferredCall> stage = waiting.remove(id);
      if (stage != null) {
        stage.complete(now);
        return true;
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0679W: the state of deferred call {0} could not be read; it is read again at the"
              + " next poll: {1}",
          new Object[] {id, e.getClass().getSimpleName()});
    }
    return false;
  }
}
