package dev.warden.ai;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The production {@link Sleeper}: {@link Thread#sleep(long)}, interruptible by {@code @Timeout}.
 */
@ApplicationScoped
public class ThreadSleeper implements Sleeper {
  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero() && !duration.isNegative()) {
      Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    }
  }
}
