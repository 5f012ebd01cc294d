package dev.warden.ai;

import java.time.Duration;

/**
 * Waits between retry attempts. The default really sleeps; tests replace it with a CDI alternative
 * that records the delays, so no test waits for a backoff.
 */
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;
}
