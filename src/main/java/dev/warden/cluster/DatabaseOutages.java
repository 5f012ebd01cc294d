package dev.warden.cluster;

import dev.warden.config.ConfigProducer;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A database that is away for a while (a restart, a failover, a cut network) rather than a write
 * that is wrong: {@link #isOutage} tells the two apart from an exception's causes, and {@link
 * #retry} runs a write again until it succeeds or the window ({@value #WINDOW}, default 10 s) has
 * run out, the caller waiting meanwhile.
 *
 * <p>An outage is a {@link SQLException} whose SQL state is of class {@code 08} (connection
 * exception), {@code 57P} (the server shutting down or starting: PostgreSQL's {@code 57P01} to
 * {@code 57P03}) or {@code 53} (insufficient resources, such as too many connections), a {@link
 * SQLTransientConnectionException} (the server's pool found no connection in time), {@link
 * SQLNonTransientConnectionException} or {@link SQLRecoverableException}, or an {@link IOException}
 * (the socket was cut). Anything else (a constraint violated, a bad value) is not retried: running
 * it again would fail again.
 */
public final class DatabaseOutages {

  /** How long a write that meets a database outage is tried again while its caller waits. */
  public static final String WINDOW = "warden.database.retry-window";

  static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

  /** Waits between attempts (a test waits on a clock of its own). */
  public interface Sleeper {
    /** Sleeps on the real clock. */
    Sleeper THREAD = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
  }

  /** A write that met an outage longer than the window: the last failure is its cause. */
  public static final class OutageOutlasted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int attempts;

    OutageOutlasted(int attempts, RuntimeException last) {
      super("the database was unavailable for longer than the retry window", last);
      this.attempts = attempts;
    }

    /** How often the write was tried. */
    public int attempts() {
      return attempts;
    }
  }

  private DatabaseOutages() {}

  /** The configured window ({@value #WINDOW}; zero: no retry). */
  public static Duration window() {
    return ConfigProducer.settings().duration(WINDOW, Duration.ofSeconds(10));
  }

  /** Whether {@code e}, or one of its causes, says the database is unavailable. */
  public static boolean isOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof IOException) {
        return true;
      }
      if (t instanceof SQLException sql && isOutageState(sql.getSQLState())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static boolean isOutageState(String state) {
    return state != null
        && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"));
  }

  /**
   * Runs {@code first}, then {@code again} for each later attempt, with the configured window, on
   * the real clock. The window is read from configuration only when a first outage is met, not on
   * every write.
   *
   * @see #retry(Supplier, Supplier, Duration, Sleeper, java.util.function.LongSupplier)
   */
  public static <T> T retry(Supplier<T> first, Supplier<T> again) {
    return retry(first, again, DatabaseOutages::window, Sleeper.THREAD, System::nanoTime);
  }

  /**
   * Runs {@code first}; while an attempt fails for an outage, runs {@code again} after a pause (50
   * ms, doubling up to 1 s) as long as the next attempt starts within {@code window} of the first.
   * A write whose commit the outage cut may have committed: {@code again} is the attempt that
   * allows for that (it skips what is in already).
   *
   * @param first the first attempt; each is expected to be a transaction of its own
   * @param again every later attempt
   * @param nanoTime the clock the window is measured on
   * @throws OutageOutlasted when the outage lasted longer than the window (the last failure is its
   *     cause)
   * @throws RuntimeException what an attempt threw, when it was not an outage
   */
  public static <T> T retry(
      Supplier<T> first,
      Supplier<T> again,
      Duration window,
      Sleeper sleeper,
      java.util.function.LongSupplier nanoTime) {
    return retry(first, again, () -> window, sleeper, nanoTime);
  }

  /** As the method above, {@code window} being asked for once, when an attempt met an outage. */
  static <T> T retry(
      Supplier<T> first,
      Supplier<T> again,
      Supplier<Duration> window,
      Sleeper sleeper,
      java.util.function.LongSupplier nanoTime) {
    long start = nanoTime.getAsLong();
    long deadline = 0;
    Duration pause = FIRST_PAUSE;
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return (attempts == 1 ? first : again).get();
      } catch (RuntimeException e) {
        if (!isOutage(e)) {
          throw e;
        }
        if (attempts == 1) {
          deadline = start + window.get().toNanos();
        }
        if (nanoTime.getAsLong() + pause.toNanos() > deadline) {
          throw new OutageOutlasted(attempts, e);
        }
        try {
          sleeper.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new OutageOutlasted(attempts, e);
        }
        pause = pause.multipliedBy(2);
        if (pause.compareTo(LONGEST_PAUSE) > 0) {
          pause = LONGEST_PAUSE;
        }
      }
    }
  }
}
