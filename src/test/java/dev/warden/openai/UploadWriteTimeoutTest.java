package dev.warden.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.warden.config.Settings;
import dev.warden.mock.MockOpenAiServer;
import dev.warden.openai.credential.UpstreamCredential;
import dev.warden.openai.error.AuthenticationException;
import dev.warden.openai.error.UpstreamTimeoutException;
import dev.warden.openai.model.FileObject;
import dev.warden.openai.stream.StreamSettings;
import dev.warden.openai.stream.StreamTimers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Uploads go through the client that can cut an exchange: a body the upstream does not take within
 * {@code warden.openai.write-timeout} fails the attempt with {@link UpstreamTimeoutException}; a
 * normal upload reaches the mock upstream as OpenAI's multipart form.
 */
class UploadWriteTimeoutTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private OpenAiTransport transport;

  @AfterEach
  void stop() {
    if (transport != null) {
      transport.close();
    }
    scheduler.shutdownNow();
  }

  private OpenAiTransport transport(String baseUrl, String writeTimeout) {
    Map<String, String> map =
        Map.of(
            "warden.openai.base-url", baseUrl,
            "warden.openai.write-timeout", writeTimeout,
            "warden.openai.read-timeout", "PT30S");
    Settings settings = new Settings(k -> Optional.ofNullable(map.get(k)), map.keySet());
    OpenAiTransport t = new OpenAiTransport();
    t.settings = OpenAiSettings.from(settings);
    t.upstreams = Upstreams.only(t.settings);
    t.credentials = () -> UpstreamCredential.bearer("sk-upload-test");
    t.clock = Clock.systemUTC();
    t.streamSettings = StreamSettings.from(settings);
    t.timers =
        new StreamTimers() {
          @Override
          public ScheduledExecutorService scheduler() {
            return scheduler;
          }
        };
    t.init();
    transport = t;
    return t;
  }

  @Test
  void theWriteTimeoutIsRead() {
    Settings none = new Settings(k -> Optional.empty(), java.util.Set.of());
    assertThat(OpenAiSettings.from(none).writeTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  @Timeout(60) // a guard against a hang, not a timing assertion
  void anUpstreamThatStopsReadingTheBodyIsCutAtTheWriteTimeout() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  // never reads: the client's send buffer and this receive buffer fill up
                  s.getInputStream();
                  Thread.sleep(Long.MAX_VALUE);
                } catch (IOException | InterruptedException done) {
                  // the test ended
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      OpenAiTransport t = transport("http://127.0.0.1:" + server.getLocalPort() + "/v1", "PT0.3S");
      byte[] large = new byte[64 * 1024 * 1024]; // far more than the sockets' buffers hold

      assertThatThrownBy(() -> t.uploadFile("big.jsonl", large, "batch", "idem-1"))
          .isInstanceOf(UpstreamTimeoutException.class)
          .hasMessageContaining("write timeout (PT0.3S)");
      assertThat(t.connectionsInUse()).isZero();
      acceptor.interrupt();
    }
  }

  @Test
  void anUploadReachesTheUpstreamAsAMultipartFormAndItsErrorsMapAsEveryOther() {
    WireMockServer mock = MockOpenAiServer.start(0);
    try {
      OpenAiTransport t = transport(MockOpenAiServer.baseUrl(mock), "PT10S");
      byte[] line =
          "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n"
              .getBytes(StandardCharsets.UTF_8);

      Exchange<FileObject> uploaded = t.uploadFile("calls.jsonl", line, "batch", "idem-2");

      assertThat(uploaded.status()).isEqualTo(200);
      assertThat(uploaded.body().filename()).isEqualTo("calls.jsonl");
      assertThat(uploaded.body().purpose()).isEqualTo("batch");
      assertThat(uploaded.body().bytes()).isEqualTo((long) line.length);
      var sent = mock.getAllServeEvents().get(0).getRequest();
      assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer sk-upload-test");
      assertThat(sent.getHeader("Idempotency-Key")).isEqualTo("idem-2");
      assertThat(sent.getHeader("Content-Type"))
          .startsWith("multipart/form-data;")
          .contains("boundary=");
      assertThat(sent.getPart("purpose").getBody().asString()).isEqualTo("batch");
      assertThat(sent.getPart("file").getBody().asBytes()).isEqualTo(line);

      mock.stubFor(
          com.github.tomakehurst.wiremock.client.WireMock.post("/v1/files")
              .atPriority(1)
              .willReturn(
                  com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                      .withStatus(401)
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"error\":{\"message\":\"Incorrect API key\",\"type\":"
                              + "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));
      assertThatThrownBy(() -> t.uploadFile("calls.jsonl", line, "batch", "idem-3"))
          .isInstanceOf(AuthenticationException.class);
      assertThat(t.connectionsInUse()).isZero();
    } finally {
      mock.stop();
    }
  }
}
