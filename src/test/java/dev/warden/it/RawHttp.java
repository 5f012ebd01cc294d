package dev.warden.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client cannot send: slow bodies, bodies
 * that never end, malformed URIs, huge headers, several requests on one kept-alive connection.
 */
final class RawHttp implements AutoCloseable {

  /** A response: status, headers (lower-case names) and body. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(URL base) throws IOException {
    socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(60_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends a request line and headers ({@code "Name: value"} each); the body is sent separately. */
  RawHttp head(String requestLine, String... headers) throws IOException {
    StringBuilder b = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    b.append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** A whole request with a JSON body, on this connection. */
  RawHttp postJson(String path, String authorization, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    head(
        "POST " + path + " HTTP/1.1",
        "Authorization: " + authorization,
        "Content-Type: application/json",
        "Content-Length: " + body.length);
    return send(body);
  }

  /** Reads one response (a {@code Content-Length} body, or up to the connection's end). */
  Response read() throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("the connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); line != null && !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length)));
    } else if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      in.transferTo(body);
    } else {
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; ) {
        body.write(in.readNBytes(size));
        line();
        size = Integer.parseInt(line().trim(), 16);
      }
      line();
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
