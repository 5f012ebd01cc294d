package dev.warden.openai.stream;

/**
 * One server-sent event: its {@code event:} name ({@code null} when the server sent none, as Chat
 * Completions does) and its {@code data:} (multi-line data joined with {@code \n}).
 */
public record SseEvent(String event, String data) {

  /** Chat Completions' terminator. */
  public static final String DONE = "[DONE]";

  public boolean isDone() {
    return DONE.equals(data);
  }

  /** The event in the wire format, ready to be written to a caller as is. */
  public String toWire() {
    StringBuilder wire = new StringBuilder(data.length() + 32);
    if (event != null) {
      wire.append("event: ").append(event).append('\n');
    }
    int start = 0;
    for (int i = data.indexOf('\n'); i >= 0; i = data.indexOf('\n', start)) {
      wire.append("data: ").append(data, start, i).append('\n');
      start = i + 1;
    }
    wire.append("data: ").append(data, start, data.length()).append("\n\n");
    return wire.toString();
  }
}
