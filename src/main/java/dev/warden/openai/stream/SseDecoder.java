package dev.warden.openai.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a {@code text/event-stream} incrementally, one event at a time, as the bytes arrive:
 * never the whole stream in memory. Handles {@code \n}, {@code \r\n} and {@code \r} line ends,
 * comments, multi-line {@code data}, and events split across any number of reads. An event larger
 * than {@code maxEventBytes} fails with {@link IOException} (a misbehaving upstream cannot exhaust
 * memory). Not thread-safe: one reader.
 */
public final class SseDecoder {

  private final InputStream in;
  private final int maxEventBytes;
  private final byte[] buffer = new byte[8192];
  private int position;
  private int limit;
  private boolean skipLf;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  public SseDecoder(InputStream in, int maxEventBytes) {
    this.in = in;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * The next event, blocking until it is complete; {@code null} at the end of the stream. An event
   * still open when the stream ends is dropped, as the SSE specification says: a stream cut in the
   * middle of an event never yields half an event.
   *
   * @throws IOException when reading fails or an event exceeds the size bound
   */
  public SseEvent next() throws IOException {
    String event = null;
    StringBuilder data = null;
    int size = 0;
    while (true) {
      String text = readLine();
      if (text == null) {
        return null;
      }
      if (text.isEmpty()) {
        if (data != null) {
          return new SseEvent(event, data.toString());
        }
        event = null;
        continue;
      }
      size += text.length();
      if (size > maxEventBytes) {
        throw new IOException("an upstream event exceeded " + maxEventBytes + " bytes");
      }
      if (text.charAt(0) == ':') {
        continue;
      }
      int colon = text.indexOf(':');
      String field = colon < 0 ? text : text.substring(0, colon);
      String value = colon < 0 ? "" : text.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("data")) {
        if (data == null) {
          data = new StringBuilder(value.length());
        } else {
          data.append('\n');
        }
        data.append(value);
      } else if (field.equals("event")) {
        event = value;
      }
      // id and retry are not used by OpenAI streams
    }
  }

  private String readLine() throws IOException {
    line.reset();
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return null;
        }
      }
      byte b = buffer[position++];
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        skipLf = b == '\r';
        return line.toString(StandardCharsets.UTF_8);
      }
      if (line.size() >= maxEventBytes) {
        throw new IOException("an upstream line exceeded " + maxEventBytes + " bytes");
      }
      line.write(b);
    }
  }
}
