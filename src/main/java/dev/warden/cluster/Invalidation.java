package dev.warden.cluster;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A CDI event: a server changed {@code item} of {@code topic} (a revoked API key, an erased
 * subject's data key), and caches of it must be dropped; {@code item} null means every entry of the
 * topic, a {@code topic} null every topic (after a server could not read the invalidations for a
 * while and may have missed some).
 */
public record Invalidation(String topic, String item) {

  /** Every entry of every cache. */
  public static final Invalidation EVERYTHING = new Invalidation(null, null);

  /** Whether it concerns {@code topic}. */
  public boolean covers(String topic) {
    return this.topic == null || this.topic.equals(topic);
  }

  /** Whether it drops every entry of {@code topic}, not one. */
  public boolean all() {
    return item == null;
  }

  /**
   * Applies it to a cache of {@code topic}: {@code everything} when it drops every entry, {@code
   * one} with the item when it drops one; nothing when it concerns another topic.
   */
  public void applyTo(String topic, Runnable everything, Consumer<String> one) {
    if (!covers(topic)) {
      return;
    }
    if (all()) {
      everything.run();
    } else {
      one.accept(item);
    }
  }

  /** Whether it concerns {@code item} of {@code topic}. */
  public boolean covers(String topic, String item) {
    return covers(topic) && (this.item == null || Objects.equals(this.item, item));
  }
}
