package dev.warden.openai.stream;

import dev.warden.config.Settings;
import java.time.Duration;

/**
 * Timing of streams, configured separately from the read timeout of whole answers: how long the
 * first event may take, how long the upstream may stay silent between events, how often an idle
 * caller connection is probed (an SSE comment) so that a caller who left is noticed, and the
 * largest event accepted.
 */
public record StreamSettings(
    Duration firstEventTimeout, Duration idleTimeout, Duration heartbeat, int maxEventBytes) {

  public static StreamSettings from(Settings s) {
    return new StreamSettings(
        s.duration("warden.stream.first-event-timeout", Duration.ofSeconds(60)),
        s.duration("warden.stream.idle-timeout", Duration.ofSeconds(30)),
        s.duration("warden.stream.heartbeat", Duration.ofSeconds(1)),
        s.integer("warden.stream.max-event-bytes", 4 * 1024 * 1024, 1024));
  }
}
