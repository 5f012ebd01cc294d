package dev.warden.openai.stream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The timer thread of all streams: watchdogs (first-event and idle timeouts) and heartbeats. Two
 * tasks per stream are scheduled on the hot path, so this is a plain scheduled pool on a thread
 * from the container's managed thread factory rather than the managed scheduled executor, which
 * captures and restores context on every submission. The tasks only close streams and write bytes;
 * they need no application context.
 */
@ApplicationScoped
public class StreamTimers {

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private ScheduledThreadPoolExecutor executor;

  @PostConstruct
  void start() {
    executor = new ScheduledThreadPoolExecutor(1, threads);
    executor.setRemoveOnCancelPolicy(true);
  }

  public ScheduledExecutorService scheduler() {
    return executor;
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }
}
