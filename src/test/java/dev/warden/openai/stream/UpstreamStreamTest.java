package dev.warden.openai.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.openai.error.ConnectionException;
import dev.warden.openai.error.UpstreamTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamStreamTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger released = new AtomicInteger();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private UpstreamStream open(FakeUpstream in, Duration first, Duration idle) {
    return UpstreamStream.open(
        in,
        in,
        released::incrementAndGet,
        "req_1",
        new StreamSettings(first, idle, Duration.ofSeconds(1), 1 << 20),
        scheduler);
  }

  @Test
  void silenceAfterTheFirstEventTripsTheIdleTimeoutAndReleasesTheConnection() {
    FakeUpstream in = new FakeUpstream();
    FakeUpstream upstream = in;
    UpstreamStream stream = open(in, Duration.ofSeconds(5), Duration.ofMillis(200));
    upstream.send("data: {\"a\":1}\n\n");

    assertThat(stream.awaitFirst().data()).isEqualTo("{\"a\":1}");
    assertThat(stream.next().data()).isEqualTo("{\"a\":1}");
    assertThatThrownBy(stream::next)
        .isInstanceOf(UpstreamTimeoutException.class)
        .hasMessageContaining("idle");
    assertThat(stream.isClosed()).isTrue();
    assertThat(released).hasValue(1);
  }

  @Test
  void noFirstEventTripsTheFirstEventTimeout() {
    FakeUpstream in = new FakeUpstream();
    UpstreamStream stream = open(in, Duration.ofMillis(150), Duration.ofSeconds(5));
    assertThatThrownBy(stream::awaitFirst)
        .isInstanceOf(UpstreamTimeoutException.class)
        .hasMessageContaining("first event");
  }

  @Test
  void closingFromAnotherThreadAbortsABlockedRead() throws Exception {
    FakeUpstream in = new FakeUpstream();
    FakeUpstream upstream = in;
    UpstreamStream stream = open(in, Duration.ofSeconds(5), Duration.ofSeconds(5));
    upstream.send("data: 1\n\n");
    stream.awaitFirst();
    stream.next();
    scheduler.schedule(stream::close, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
    assertThatThrownBy(stream::next).isInstanceOf(ConnectionException.class);
    stream.close();
    assertThat(released).as("released exactly once").hasValue(1);
  }

  @Test
  void anEndBeforeTheFirstEventIsARetriableFailure() {
    FakeUpstream in = new FakeUpstream();
    FakeUpstream upstream = in;
    UpstreamStream stream = open(in, Duration.ofSeconds(5), Duration.ofSeconds(5));
    upstream.end();
    assertThatThrownBy(stream::awaitFirst)
        .isInstanceOf(ConnectionException.class)
        .matches(e -> ((ConnectionException) e).isRetriable());
  }
}
