package dev.warden.mock;

import jakarta.json.JsonStructure;
import java.nio.charset.StandardCharsets;

/** What a handler answers: status, content type, body bytes and (for SSE) the event count. */
final class MockReply {
  static final String JSON = "application/json";
  static final String EVENT_STREAM = "text/event-stream";

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final int events;

  private MockReply(int status, String contentType, byte[] body, int events) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.events = events;
  }

  static MockReply json(int status, JsonStructure json) {
    return new MockReply(status, JSON, json.toString().getBytes(StandardCharsets.UTF_8), 1);
  }

  static MockReply sse(String text, int events) {
    return new MockReply(200, EVENT_STREAM, text.getBytes(StandardCharsets.UTF_8), events);
  }

  static MockReply bytes(byte[] data, String contentType) {
    return new MockReply(200, contentType, data, 1);
  }

  int status() {
    return status;
  }

  String contentType() {
    return contentType;
  }

  byte[] body() {
    return body;
  }

  int events() {
    return events;
  }
}
