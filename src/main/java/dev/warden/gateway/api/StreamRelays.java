package dev.warden.gateway.api;

import dev.warden.call.Caller;
import dev.warden.config.VirtualThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a relayed stream runs once its first event has arrived. A stream spends nearly all its life
 * waiting for the upstream's next event. On a JVM with virtual threads (Java 21 and later) each
 * stream is relayed on a virtual thread of its own: while it waits, it is parked on its socket and
 * holds no platform thread, and the request thread goes back to Liberty's pool as soon as the
 * stream is handed over. On Java 17, or with {@value VirtualThreads#SETTING}{@code =false}, the
 * stream is relayed on its request thread, which it then holds until the stream ends.
 *
 * <p>The virtual thread runs with the request's application context (Jakarta Concurrency's default
 * context service: class loader, naming, security), as Liberty's managed executors do. The caller
 * bound to the request thread by {@link AccessFilter} is unbound there when the stream leaves it;
 * the relay itself needs none (the call's {@link dev.warden.call.CallContext} names its caller).
 */
@ApplicationScoped
public class StreamRelays {
  private static final Logger LOG = Logger.getLogger(StreamRelays.class.getName());

  @Resource(lookup = "java:comp/DefaultContextService")
  ContextService context;

  /** Virtual threads, or {@code null}: relay on the request thread. */
  private ThreadFactory threads;

  /** What a relay runs with: the request's application context. */
  private UnaryOperator<Runnable> contextual;

  public StreamRelays() {}

  /** Relays on {@code threads} ({@code null}: on the request thread), in {@code contextual}. */
  StreamRelays(ThreadFactory threads, UnaryOperator<Runnable> contextual) {
    this.threads = threads;
    this.contextual = contextual;
  }

  @PostConstruct
  void init() {
    threads = VirtualThreads.forStreams("warden-stream-");
    contextual = context::contextualRunnable;
    LOG.log(
        Level.INFO,
        "WARDEN0209I: streams are relayed on {0} (Java {1})",
        new Object[] {
          threads != null
              ? "virtual threads"
              : "their request threads (this JVM has no virtual threads, or "
                  + VirtualThreads.SETTING
                  + " is false)",
          Runtime.version().feature()
        });
  }

  /**
   * Answers {@code async} with what {@code answer} gives: at once on this thread, unless it is a
   * stream to relay and virtual threads are on, which then runs (and is written) on a virtual
   * thread of its own. A failure of {@code answer} resumes {@code async} with it, so the exception
   * mappers answer it as for a synchronous method.
   */
  void answer(AsyncResponse async, Supplier<Response> answer) {
    answer(async, answer, response -> response.getEntity() instanceof StreamingOutput);
  }

  /** {@link #answer(AsyncResponse, Supplier)}, where {@code relayed} tells a stream to relay. */
  <T> void answer(AsyncResponse async, Supplier<T> answer, Predicate<T> relayed) {
    T response;
    try {
      response = answer.get();
    } catch (RuntimeException e) {
      async.resume(e);
      return;
    }
    if (threads == null || !relayed.test(response)) {
      async.resume(response);
      return;
    }
    // the relay has its own first-event and idle timeouts; the container's must not cut it
    async.setTimeout(0, TimeUnit.MILLISECONDS);
    Runnable relay = contextual.apply(() -> async.resume(response));
    threads.newThread(relay).start();
    // AccessFilter's response filter, which unbinds the caller, now runs on the relay's thread
    Caller.unbind();
  }
}
