package dev.warden.gateway.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies held in memory at once, across all requests: a body is read only into
 * bytes reserved here, and its reservation is returned when the request ends. When the reservation
 * cannot be made the request is refused (503) instead of buffered, so the heap a flood of large
 * bodies can take is bounded by {@code warden.http.max-buffered-bytes}, not by the number of
 * connections.
 */
final class BodyBudget {

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  BodyBudget(long limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the body budget must be positive: " + limit);
    }
    this.limit = limit;
  }

  /** Reserves {@code bytes}, or nothing and {@code false} when they would pass the limit. */
  boolean tryReserve(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative reservation: " + bytes);
    }
    while (true) {
      long now = used.get();
      long next = now + bytes;
      if (next > limit) {
        return false;
      }
      if (used.compareAndSet(now, next)) {
        return true;
      }
    }
  }

  /** Returns {@code bytes} reserved earlier. */
  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** The bytes reserved now. */
  long used() {
    return used.get();
  }

  long limit() {
    return limit;
  }
}
