package dev.warden.ai;

import dev.warden.call.CallContext;
import dev.warden.openai.error.OpenAiException;
import dev.warden.openai.model.ToolCall;
import dev.warden.openai.stream.StreamDelta;
import dev.warden.openai.stream.StreamResult;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A single-subscriber {@link Flow.Publisher} over one streamed call. The upstream request is opened
 * when the subscriber first requests, on the given executor; events are delivered only as demanded
 * (the upstream is read no faster than the subscriber consumes). {@link Flow.Subscription#cancel()}
 * aborts the upstream request at once. A failure before the first event is {@code onError} with the
 * usual (already retried) {@link OpenAiException}; after it, {@code onError} with the stream's
 * failure — never a silent {@code onComplete}.
 */
final class StreamPublisher implements Flow.Publisher<StreamEvent> {

  private final Supplier<StreamingCall> open;
  private final Executor executor;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  StreamPublisher(Supplier<StreamingCall> open, Executor executor) {
    this.open = open;
    this.executor = executor;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super StreamEvent> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      subscriber.onError(new IllegalStateException("a stream can be subscribed to only once"));
      return;
    }
    Relay relay = new Relay(subscriber);
    subscriber.onSubscribe(relay);
  }

  private final class Relay implements Flow.Subscription, StreamSink {
    private final Flow.Subscriber<? super StreamEvent> subscriber;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demanded = lock.newCondition();
    private long demand;
    private boolean started;
    private volatile boolean cancelled;
    private volatile StreamingCall call;

    Relay(Flow.Subscriber<? super StreamEvent> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancel();
        subscriber.onError(new IllegalArgumentException("request(" + n + "): must be positive"));
        return;
      }
      boolean start;
      lock.lock();
      try {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        demanded.signalAll();
        start = !started;
        started = true;
      } finally {
        lock.unlock();
      }
      if (start) {
        executor.execute(this::run);
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      StreamingCall c = call;
      if (c != null) {
        c.cancel();
      }
      lock.lock();
      try {
        demanded.signalAll();
      } finally {
        lock.unlock();
      }
    }

    private void run() {
      StreamingCall c;
      try {
        c = open.get();
      } catch (OpenAiException e) {
        if (!cancelled) {
          subscriber.onError(e);
        }
        return;
      }
      call = c;
      if (cancelled) {
        c.cancel();
      }
      c.relay(this);
    }

    @Override
    public void delta(StreamDelta delta) throws IOException {
      if (!delta.text().isEmpty()) {
        emit(new StreamEvent.TextDelta(delta.text()));
      }
      for (ToolCall toolCall : delta.completedToolCalls()) {
        emit(new StreamEvent.ToolCallReady(toolCall));
      }
    }

    @Override
    public void failed(OpenAiException failure) {
      if (!cancelled) {
        subscriber.onError(failure);
      }
    }

    @Override
    public void completed(StreamResult result) throws IOException {
      CallContext context = call.context();
      emit(
          new StreamEvent.Completed(
              result, context.requestId(), context.answeredBy(), context.fallback()));
      subscriber.onComplete();
    }

    private void emit(StreamEvent event) throws IOException {
      lock.lock();
      try {
        while (demand == 0 && !cancelled) {
          demanded.awaitUninterruptibly();
        }
        if (cancelled) {
          throw new IOException("the subscriber cancelled");
        }
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
      } finally {
        lock.unlock();
      }
      subscriber.onNext(event);
    }
  }
}
