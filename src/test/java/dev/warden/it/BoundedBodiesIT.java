package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Request bodies cannot knock Warden over: anonymous senders are refused before a byte of their
 * body is read, the bytes buffered across all requests are capped ({@code
 * warden.http.max-buffered-bytes}, 48 MiB on the test server), and slow senders are cut off ({@code
 * warden.http.read-timeout} 5 s and {@code warden.http.body-timeout} 8 s on the test server), while
 * authenticated calls keep being answered.
 */
class BoundedBodiesIT extends WardenIntegrationTest {

  private static final int MIB = 1024 * 1024;
  private static final String CHAT_JSON =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}";
  private static final Pattern HEAP =
      Pattern.compile("(?m)^memory_usedHeap_bytes(?:\\{[^}]*\\})? ([0-9.eE+]+)$");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private HttpResponse<String> authenticatedChat() throws Exception {
    return http().postJson(CHAT, TestCredentials.DEV_USER_BEARER, CHAT_JSON);
  }

  private double heapUsed() throws Exception {
    HttpResponse<String> metrics = http().get("metrics?scope=base", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    Matcher m = HEAP.matcher(metrics.body());
    assertThat(m.find()).as("memory_usedHeap_bytes in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void anonymousFloodsAreRefusedUnreadWhileAuthenticatedCallsAreAnswered() throws Exception {
    double heapBefore = heapUsed();
    int upstreamBefore = mock.count(MockAdmin.request("POST", "/v1/chat/completions"));
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Future<RawHttp.Response>> answers = new ArrayList<>();
    ConcurrentLinkedQueue<RawHttp> open = new ConcurrentLinkedQueue<>();
    try {
      // 50 anonymous 16 MiB bodies, sent as fast as the server takes them
      byte[] piece = new byte[64 * 1024];
      Arrays.fill(piece, (byte) ' ');
      for (int i = 0; i < 50; i++) {
        answers.add(
            anonymous(
                pool,
                open,
                16 * MIB,
                c -> {
                  for (int sent = 0; sent < 16 * MIB; sent += piece.length) {
                    c.send(piece);
                  }
                }));
      }
      // 50 anonymous bodies at one byte a second
      for (int i = 0; i < 50; i++) {
        answers.add(
            anonymous(
                pool,
                open,
                1000,
                c -> {
                  for (int sent = 0; sent < 1000; sent++) {
                    c.send(new byte[] {' '});
                    TimeUnit.SECONDS.sleep(1); // the sender's pace, not a wait in the test
                  }
                }));
      }
      // meanwhile, authenticated callers are answered
      double heapDuring = heapBefore;
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r = authenticatedChat();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        heapDuring = Math.max(heapDuring, heapUsed());
      }
      for (Future<RawHttp.Response> answer : answers) {
        RawHttp.Response r = answer.get(60, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.header("www-authenticate")).startsWith("Bearer");
        assertThat(r.header("connection")).isEqualToIgnoringCase("close");
        assertThat(r.body()).contains("\"missing_credentials\"");
      }
      // nothing of the 800 MiB offered was buffered: far less than one body of heap was added
      assertThat(heapDuring - heapBefore).isLessThan(16.0 * MIB * 25);
    } finally {
      for (RawHttp c : open) {
        c.close();
      }
      pool.shutdownNow();
    }
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions")))
        .isEqualTo(upstreamBefore + 5);
    assertThat(http().get("health/ready", null).statusCode()).isEqualTo(200);
  }

  /** How a body is sent on a connection whose headers went out already. */
  interface Sender {
    void send(RawHttp connection) throws Exception;
  }

  /** A POST without credentials whose body {@code sender} sends meanwhile; its answer. */
  private Future<RawHttp.Response> anonymous(
      ExecutorService pool, Queue<RawHttp> open, int length, Sender sender) {
    return pool.submit(
        () -> {
          RawHttp c = new RawHttp(base);
          open.add(c);
          c.head(
              "POST /v1/chat/completions HTTP/1.1",
              "Content-Type: application/json",
              "Content-Length: " + length);
          pool.submit(
              () -> {
                sender.send(c);
                return null;
              });
          return c.read();
        });
  }

  @Test
  void theBytesBufferedAcrossRequestsAreCapped() throws Exception {
    // four authenticated bodies of almost 16 MiB that never end: together over the 48 MiB budget
    int declared = 16 * MIB - 1024;
    byte[] most = new byte[declared - 1024];
    Arrays.fill(most, (byte) ' ');
    most[0] = '{';
    ExecutorService pool = Executors.newCachedThreadPool();
    List<RawHttp> open = new ArrayList<>();
    List<Future<RawHttp.Response>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        RawHttp c = new RawHttp(base);
        open.add(c);
        answers.add(
            pool.submit(
                () -> {
                  c.head(
                      "POST /v1/chat/completions HTTP/1.1",
                      "Authorization: " + TestCredentials.DEV_USER_BEARER,
                      "Content-Type: application/json",
                      "Content-Length: " + declared);
                  try {
                    c.send(most);
                  } catch (IOException refusedMidway) {
                    // the server answered and closed before taking it all
                  }
                  return c.read();
                }));
      }
      // at least one is refused for want of buffer, with Retry-After, while the others wait
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> answers.stream().anyMatch(Future::isDone));
      RawHttp.Response refused =
          answers.stream().filter(Future::isDone).findFirst().orElseThrow().get();
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.header("retry-after")).isEqualTo("1");
      JsonObject error = WardenHttp.json(refused.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("server_busy");
    } finally {
      for (RawHttp c : open) {
        c.close(); // the bodies end early: their reservations are returned
      }
      pool.shutdownNow();
    }
    // the budget is free again: a normal call is read and answered
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> authenticatedChat().statusCode() == 200);
  }

  @Test
  void aBodyTricklingOneByteASecondIsCutOffBeforeItEnds() throws Exception {
    try (RawHttp c = new RawHttp(base)) {
      c.head(
          "POST /v1/chat/completions HTTP/1.1",
          "Authorization: " + TestCredentials.DEV_USER_BEARER,
          "Content-Type: application/json",
          "Content-Length: 1000");
      ExecutorService pool = Executors.newSingleThreadExecutor();
      AtomicInteger sent = new AtomicInteger();
      try {
        pool.submit(
            () -> {
              for (int i = 0; i < 1000; i++) {
                c.send(new byte[] {' '});
                sent.incrementAndGet();
                TimeUnit.SECONDS.sleep(1); // the sender's pace
              }
              return null;
            });
        RawHttp.Response r = c.read();
        assertThat(sent.get()).isLessThan(1000);
        assertThat(r.status()).as(r.body()).isEqualTo(408);
        assertThat(WardenHttp.json(r.body()).getJsonObject("error").getString("code"))
            .isEqualTo("request_timeout");
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(authenticatedChat().statusCode()).isEqualTo(200);
  }

  @Test
  void aBodyArrivingInSteadyPiecesIsCutOffAtTheBodyTimeout() throws Exception {
    // 16 KiB a second never pauses long enough for the read timeout; the total time is bounded
    int declared = 4 * MIB;
    try (RawHttp c = new RawHttp(base)) {
      c.head(
          "POST /v1/chat/completions HTTP/1.1",
          "Authorization: " + TestCredentials.DEV_USER_BEARER,
          "Content-Type: application/json",
          "Content-Length: " + declared);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      AtomicInteger sent = new AtomicInteger();
      try {
        pool.submit(
            () -> {
              byte[] piece = new byte[16 * 1024];
              Arrays.fill(piece, (byte) ' ');
              while (sent.get() < declared) {
                c.send(piece);
                sent.addAndGet(piece.length);
                TimeUnit.SECONDS.sleep(1); // the sender's pace
              }
              return null;
            });
        RawHttp.Response r = c.read();
        assertThat(sent.get()).isLessThan(declared);
        assertThat(r.status()).as(r.body()).isEqualTo(408);
        assertThat(r.body()).contains("\"request_timeout\"");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aKeptAliveConnectionCarriesOneCallAfterAnother() throws Exception {
    try (RawHttp c = new RawHttp(base)) {
      for (int i = 0; i < 3; i++) {
        RawHttp.Response r = c.postJson(CHAT, TestCredentials.DEV_USER_BEARER, CHAT_JSON).read();
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("connection")).isNotEqualToIgnoringCase("close");
      }
      // a refusal before the body is bound closes the connection, and says so
      RawHttp.Response bad =
          c.postJson(CHAT, TestCredentials.DEV_USER_BEARER, "{\"model\":\"m\",\"model\":\"n\"}")
              .read();
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.header("connection")).isEqualToIgnoringCase("close");
      assertThat(bad.body()).contains("\"duplicate_key\"");
    }
  }
}
