package dev.warden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DatabaseOutagesTest {

  /** {@link DatabaseOutages#retry} of one write, the same at every attempt. */
  private static <T> T retry(
      java.util.function.Supplier<T> write,
      Duration window,
      DatabaseOutages.Sleeper sleeper,
      java.util.function.LongSupplier nanoTime) {
    return DatabaseOutages.retry(write, write, window, sleeper, nanoTime);
  }

  /** A failure as JPA reports it: the SQL exception a few causes down. */
  private static RuntimeException wrapped(Throwable sql) {
    return new IllegalStateException("persist failed", new RuntimeException("jdbc", sql));
  }

  @Test
  void aConnectionLostOrAServerShuttingDownIsAnOutageAndABadValueIsNot() {
    assertThat(DatabaseOutages.isOutage(wrapped(new SQLException("terminating", "57P01"))))
        .isTrue();
    assertThat(DatabaseOutages.isOutage(wrapped(new SQLException("I/O error", "08006")))).isTrue();
    assertThat(DatabaseOutages.isOutage(wrapped(new SQLException("refused", "08001")))).isTrue();
    assertThat(DatabaseOutages.isOutage(wrapped(new SQLException("too many", "53300")))).isTrue();
    assertThat(DatabaseOutages.isOutage(wrapped(new SQLTransientConnectionException("pool"))))
        .isTrue();
    assertThat(
            DatabaseOutages.isOutage(
                wrapped(new SQLException("cut", null, new EOFException("socket closed")))))
        .isTrue();

    assertThat(DatabaseOutages.isOutage(wrapped(new SQLException("duplicate key", "23505"))))
        .isFalse();
    assertThat(
            DatabaseOutages.isOutage(
                wrapped(new SQLIntegrityConstraintViolationException("null", "23502"))))
        .isFalse();
    assertThat(DatabaseOutages.isOutage(new IllegalStateException("no cause"))).isFalse();
  }

  /** A clock that moves only when the retry sleeps. */
  private static final class Clock {
    final AtomicLong nanos = new AtomicLong();
    final List<Duration> pauses = new ArrayList<>();

    void sleep(Duration d) {
      pauses.add(d);
      nanos.addAndGet(d.toNanos());
    }
  }

  @Test
  void aWriteThatMeetsAnOutageIsTriedAgainUntilTheDatabaseIsBack() {
    Clock clock = new Clock();
    AtomicInteger attempts = new AtomicInteger();
    String result =
        retry(
            () -> {
              if (attempts.incrementAndGet() <= 4) {
                throw wrapped(new SQLException("terminating", "57P01"));
              }
              return "written";
            },
            Duration.ofSeconds(10),
            clock::sleep,
            clock.nanos::get);
    assertThat(result).isEqualTo("written");
    assertThat(attempts).hasValue(5);
    assertThat(clock.pauses)
        .containsExactly(
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400));
  }

  @Test
  void anOutageLongerThanTheWindowEndsTheRetriesWithTheLastFailure() {
    Clock clock = new Clock();
    AtomicInteger attempts = new AtomicInteger();
    RuntimeException last = wrapped(new SQLException("refused", "08001"));
    assertThatThrownBy(
            () ->
                retry(
                    () -> {
                      attempts.incrementAndGet();
                      throw last;
                    },
                    Duration.ofSeconds(3),
                    clock::sleep,
                    clock.nanos::get))
        .isInstanceOf(DatabaseOutages.OutageOutlasted.class)
        .hasCause(last)
        .satisfies(
            e ->
                assertThat(((DatabaseOutages.OutageOutlasted) e).attempts())
                    .isEqualTo(attempts.get()));
    // 50 + 100 + 200 + 400 + 800 + 1000 ms = 2.55 s; one more pause would pass 3 s
    assertThat(attempts).hasValue(7);
    assertThat(clock.pauses.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(2550);
    assertThat(clock.pauses).last().isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aFailureThatIsNotAnOutageIsThrownAtOnce() {
    Clock clock = new Clock();
    AtomicInteger attempts = new AtomicInteger();
    RuntimeException bad = wrapped(new SQLException("duplicate key", "23505"));
    assertThatThrownBy(
            () ->
                retry(
                    () -> {
                      attempts.incrementAndGet();
                      throw bad;
                    },
                    Duration.ofSeconds(10),
                    clock::sleep,
                    clock.nanos::get))
        .isSameAs(bad);
    assertThat(attempts).hasValue(1);
    assertThat(clock.pauses).isEmpty();
  }

  @Test
  void aZeroWindowTriesOnce() {
    Clock clock = new Clock();
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry(
                    () -> {
                      attempts.incrementAndGet();
                      throw wrapped(new SQLException("I/O error", "08006"));
                    },
                    Duration.ZERO,
                    clock::sleep,
                    clock.nanos::get))
        .isInstanceOf(DatabaseOutages.OutageOutlasted.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void theFirstAttemptRunsOnceAndEveryLaterOneAllowsForACommitTheOutageCut() {
    Clock clock = new Clock();
    List<String> attempts = new ArrayList<>();
    String result =
        DatabaseOutages.retry(
            () -> {
              attempts.add("first");
              throw wrapped(new SQLException("I/O error", "08006"));
            },
            () -> {
              attempts.add("again");
              if (attempts.size() < 3) {
                throw wrapped(new SQLException("refused", "08001"));
              }
              return "found in, or written";
            },
            Duration.ofSeconds(10),
            clock::sleep,
            clock.nanos::get);
    assertThat(result).isEqualTo("found in, or written");
    assertThat(attempts).containsExactly("first", "again", "again");
  }

  @Test
  void theWindowIsAskedForOnlyWhenAnAttemptMetAnOutage() {
    Clock clock = new Clock();
    AtomicInteger asked = new AtomicInteger();
    java.util.function.Supplier<Duration> window =
        () -> {
          asked.incrementAndGet();
          return Duration.ofSeconds(10);
        };

    String written =
        DatabaseOutages.retry(() -> "in", () -> "again", window, clock::sleep, clock.nanos::get);
    assertThat(written).isEqualTo("in");
    assertThat(asked).hasValue(0);

    List<String> attempts = new ArrayList<>();
    java.util.function.Supplier<String> flaky =
        () -> {
          attempts.add("attempt");
          if (attempts.size() < 4) {
            throw wrapped(new SQLException("refused", "08001"));
          }
          return "in at last";
        };
    assertThat(DatabaseOutages.retry(flaky, flaky, window, clock::sleep, clock.nanos::get))
        .isEqualTo("in at last");
    assertThat(attempts).hasSize(4);
    assertThat(asked).hasValue(1);
  }
}
