package dev.warden.it;

import dev.warden.ai.Sleeper;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces the real sleeper in integration-test deployments: records each backoff instead of
 * waiting, so tests assert the delays Warden chose without spending them.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class RecordingSleeper implements Sleeper {

  private final List<Duration> slept = new ArrayList<>();

  @Override
  public synchronized void sleep(Duration duration) {
    slept.add(duration);
  }

  public synchronized List<Duration> slept() {
    return List.copyOf(slept);
  }

  public synchronized void clear() {
    slept.clear();
  }
}
