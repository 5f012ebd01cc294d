package dev.warden.openai.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

  /** Delivers the bytes in reads of at most {@code step} bytes, like a slow network. */
  private static InputStream trickle(String text, int step) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new InputStream() {
      int pos;

      @Override
      public int read() {
        return pos < bytes.length ? bytes[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= bytes.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, step), bytes.length - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  private static List<SseEvent> all(InputStream in) throws IOException {
    SseDecoder decoder = new SseDecoder(in, 1 << 20);
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent e = decoder.next(); e != null; e = decoder.next()) {
      events.add(e);
    }
    return events;
  }

  @Test
  void decodesChatChunksAndDoneWhateverTheReadSizes() throws IOException {
    String wire = "data: {\"a\":1}\n\ndata: {\"é\":\"ü\"}\n\ndata: [DONE]\n\n";
    for (int step = 1; step <= wire.length(); step++) {
      List<SseEvent> events = all(trickle(wire, step));
      assertThat(events)
          .as("read size %d", step)
          .containsExactly(
              new SseEvent(null, "{\"a\":1}"),
              new SseEvent(null, "{\"é\":\"ü\"}"),
              new SseEvent(null, "[DONE]"));
      assertThat(events.get(2).isDone()).isTrue();
    }
  }

  @Test
  void namedEventsCrLfCommentsAndMultiLineData() throws IOException {
    String wire =
        ": keep-alive\r\n\r\nevent: response.created\r\ndata: {\"x\":\r\ndata: 2}\r\n\r\n"
            + "event: error\rdata: {}\r\r";
    assertThat(all(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8))))
        .containsExactly(
            new SseEvent("response.created", "{\"x\":\n2}"), new SseEvent("error", "{}"));
  }

  @Test
  void anEventCutBeforeItsBlankLineIsDropped() throws IOException {
    assertThat(
            all(
                new ByteArrayInputStream(
                    "data: {\"a\":1}\n\ndata: {\"partial".getBytes(StandardCharsets.UTF_8))))
        .containsExactly(new SseEvent(null, "{\"a\":1}"));
  }

  @Test
  void oversizedEventsFailInsteadOfExhaustingMemory() {
    String wire = "data: " + "x".repeat(5000) + "\n\n";
    SseDecoder decoder =
        new SseDecoder(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), 1024);
    assertThatThrownBy(decoder::next).isInstanceOf(IOException.class).hasMessageContaining("1024");
  }

  @Test
  void wireFormatRoundTrips() throws IOException {
    SseEvent event =
        new SseEvent("response.output_text.delta", "{\"delta\":\"a\\nb\"}\nsecond line");
    assertThat(all(new ByteArrayInputStream(event.toWire().getBytes(StandardCharsets.UTF_8))))
        .containsExactly(event);
  }
}
