package dev.warden.cost;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Sliding one-minute windows of requests and tokens, per key, in this server's memory (a cluster of
 * N servers admits up to N times a limit; budgets, which are in the database, do not have that
 * gap). Thread-safe; time comes from the injected {@link Clock}.
 */
public final class RateLimiter {

  static final Duration WINDOW = Duration.ofMinutes(1);

  private final Clock clock;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /** Why a call was not admitted: which limit, and when the window has room for it. */
  public record Refusal(String kind, long limit, Duration retryAfter) {}

  /**
   * Admits one request of {@code tokens} tokens under {@code key} if it fits both limits (a limit
   * of 0 or less is none), and records it; otherwise records nothing and says why.
   */
  public Optional<Refusal> tryAcquire(
      String key, long requestsPerMinute, long tokensPerMinute, long tokens) {
    if (requestsPerMinute <= 0 && tokensPerMinute <= 0) {
      return Optional.empty();
    }
    Window w = windows.computeIfAbsent(key, k -> new Window());
    synchronized (w) {
      Instant now = clock.instant();
      w.expire(now.minus(WINDOW));
      if (requestsPerMinute > 0 && w.entries.size() + 1 > requestsPerMinute) {
        Instant freeAt = w.entries.peekFirst().at.plus(WINDOW);
        return Optional.of(new Refusal("requests", requestsPerMinute, wait(now, freeAt)));
      }
      if (tokensPerMinute > 0 && w.tokens + tokens > tokensPerMinute) {
        if (tokens > tokensPerMinute) {
          return Optional.of(new Refusal("tokens", tokensPerMinute, WINDOW));
        }
        long needed = w.tokens + tokens - tokensPerMinute;
        Instant freeAt = now;
        for (Entry e : w.entries) {
          needed -= e.tokens;
          freeAt = e.at.plus(WINDOW);
          if (needed <= 0) {
            break;
          }
        }
        return Optional.of(new Refusal("tokens", tokensPerMinute, wait(now, freeAt)));
      }
      w.entries.addLast(new Entry(now, tokens));
      w.tokens += tokens;
      return Optional.empty();
    }
  }

  private static Duration wait(Instant now, Instant freeAt) {
    Duration d = Duration.between(now, freeAt);
    return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
  }

  private record Entry(Instant at, long tokens) {}

  private static final class Window {
    final Deque<Entry> entries = new ArrayDeque<>();
    long tokens;

    void expire(Instant before) {
      while (!entries.isEmpty() && !entries.peekFirst().at.isAfter(before)) {
        tokens -= entries.removeFirst().tokens;
      }
    }
  }
}
