package dev.warden.openai.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream body for tests: bytes are sent when the test says so; {@link #close()} from any
 * thread wakes a blocked reader with an {@link IOException}, as closing a socket does.
 */
final class FakeUpstream extends InputStream {
  private static final byte[] END = new byte[0];
  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private byte[] current = new byte[0];
  private int pos;

  void send(String text) {
    chunks.add(text.getBytes(StandardCharsets.UTF_8));
  }

  void end() {
    chunks.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (pos >= current.length) {
      if (closed) {
        throw new IOException("closed");
      }
      try {
        byte[] next = chunks.poll(20, TimeUnit.MILLISECONDS);
        if (next == END) {
          return -1;
        }
        if (next != null) {
          current = next;
          pos = 0;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() {
    closed = true;
  }
}
