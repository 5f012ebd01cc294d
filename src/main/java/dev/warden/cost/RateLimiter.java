package dev.warden.cost;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Sliding windows of requests and tokens, per key, in this server's memory (a cluster of N servers
 * admits up to N times a limit: clusters count in the database, {@link BucketRateLimiter}): one
 * minute for requests and tokens per minute, kept per request; 24 hours for tokens per day, kept in
 * one-minute buckets (at most 1,440 per key), each freed a full day after its minute ends, so a
 * bucket is never freed early. A key whose windows have emptied is forgotten: once a minute, the
 * call that notices sweeps them, so the keys held are those used in the last day at most.
 * Thread-safe; time comes from the injected {@link Clock}.
 */
public final class RateLimiter implements RateLimits {

  static final Duration WINDOW = Duration.ofMinutes(1);
  static final Duration DAY = Duration.ofDays(1);

  private final Clock clock;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> nextSweep = new AtomicReference<>(Instant.MIN);

  public RateLimiter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Optional<Refusal> tryAcquire(
      String key, long requestsPerMinute, long tokensPerMinute, long tokensPerDay, long tokens) {
    if (requestsPerMinute <= 0 && tokensPerMinute <= 0 && tokensPerDay <= 0) {
      return Optional.empty();
    }
    sweepIfDue(clock.instant());
    while (true) {
      Window w = windows.computeIfAbsent(key, k -> new Window());
      synchronized (w) {
        if (!w.forgotten) {
          return acquire(
              w, clock.instant(), requestsPerMinute, tokensPerMinute, tokensPerDay, tokens);
        }
      }
      // swept between the lookup and the lock: take the key's new window
    }
  }

  /** How many keys this limiter holds windows for. */
  int keys() {
    return windows.size();
  }

  /** At most once a minute: forgets the keys whose windows have emptied. */
  private void sweepIfDue(Instant now) {
    Instant due = nextSweep.get();
    if (now.isBefore(due) || !nextSweep.compareAndSet(due, now.plus(WINDOW))) {
      return;
    }
    for (Map.Entry<String, Window> e : windows.entrySet()) {
      Window w = e.getValue();
      synchronized (w) {
        w.expire(now);
        if (w.entries.isEmpty() && w.days.isEmpty()) {
          w.forgotten = true;
          windows.remove(e.getKey(), w);
        }
      }
    }
  }

  /** {@link #tryAcquire(String, long, long, long, long)} on {@code w}, whose lock is held. */
  private Optional<Refusal> acquire(
      Window w,
      Instant now,
      long requestsPerMinute,
      long tokensPerMinute,
      long tokensPerDay,
      long tokens) {
    w.expire(now);
    if (requestsPerMinute > 0 && w.entries.size() + 1 > requestsPerMinute) {
      Instant freeAt = w.entries.peekFirst().at.plus(WINDOW);
      return Optional.of(new Refusal("requests", "minute", requestsPerMinute, wait(now, freeAt)));
    }
    if (tokensPerMinute > 0 && w.tokens + tokens > tokensPerMinute) {
      if (tokens > tokensPerMinute) {
        return Optional.of(new Refusal("tokens", "minute", tokensPerMinute, WINDOW));
      }
      Instant freeAt =
          whenFreed(w.entries, w.tokens + tokens - tokensPerMinute, e -> e.at.plus(WINDOW), now);
      return Optional.of(new Refusal("tokens", "minute", tokensPerMinute, wait(now, freeAt)));
    }
    if (tokensPerDay > 0 && w.dayTokens + tokens > tokensPerDay) {
      if (tokens > tokensPerDay) {
        return Optional.of(new Refusal("tokens", "day", tokensPerDay, DAY));
      }
      Instant freeAt =
          whenFreed(w.days, w.dayTokens + tokens - tokensPerDay, RateLimiter::freedAt, now);
      return Optional.of(new Refusal("tokens", "day", tokensPerDay, wait(now, freeAt)));
    }
    w.entries.addLast(new Entry(now, tokens));
    w.tokens += tokens;
    if (tokensPerDay > 0 || !w.days.isEmpty()) {
      w.addToDay(now.truncatedTo(ChronoUnit.MINUTES), tokens);
    }
    return Optional.empty();
  }

  /**
   * When {@code needed} tokens will have left a window whose entries are {@code oldestFirst}, each
   * leaving at {@code leavesAt}; {@code now} when none need to.
   */
  private static Instant whenFreed(
      Deque<Entry> oldestFirst, long needed, Function<Entry, Instant> leavesAt, Instant now) {
    Instant freeAt = now;
    for (Entry e : oldestFirst) {
      needed -= e.tokens;
      freeAt = leavesAt.apply(e);
      if (needed <= 0) {
        break;
      }
    }
    return freeAt;
  }

  /** When a day bucket stops counting: a day after the end of its minute. */
  private static Instant freedAt(Entry bucket) {
    return bucket.at.plus(WINDOW).plus(DAY);
  }

  private static Duration wait(Instant now, Instant freeAt) {
    Duration d = Duration.between(now, freeAt);
    return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
  }

  private record Entry(Instant at, long tokens) {}

  private static final class Window {
    /** Set when a sweep removed this window from the map: it must not record any more. */
    boolean forgotten;

    final Deque<Entry> entries = new ArrayDeque<>();
    long tokens;

    /** Tokens per minute of the last day: the minute's start and its tokens. */
    final Deque<Entry> days = new ArrayDeque<>();

    long dayTokens;

    /** Drops the requests older than a minute and the day buckets freed by {@code now}. */
    void expire(Instant now) {
      Instant before = now.minus(WINDOW);
      while (!entries.isEmpty() && !entries.peekFirst().at.isAfter(before)) {
        tokens -= entries.removeFirst().tokens;
      }
      while (!days.isEmpty() && !freedAt(days.peekFirst()).isAfter(now)) {
        dayTokens -= days.removeFirst().tokens;
      }
    }

    void addToDay(Instant minute, long n) {
      Entry last = days.peekLast();
      if (last != null && last.at.equals(minute)) {
        days.removeLast();
        days.addLast(new Entry(minute, last.tokens + n));
      } else {
        days.addLast(new Entry(minute, n));
      }
      dayTokens += n;
    }
  }
}
