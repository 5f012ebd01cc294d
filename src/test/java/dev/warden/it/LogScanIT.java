package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Logs never hold a secret or a personal value: after calls carrying planted personal data and a
 * secret (answered, streamed, refused, failed upstream, malformed), none of the planted values, the
 * upstream key or the caller's credentials appear in any of the server's log files (messages.log,
 * trace.log with Warden's FINE messages on, console.log, FFDC). Warden's own lines carry message
 * ids.
 */
class LogScanIT extends WardenIntegrationTest {

  private static final String EMAIL = "planted.person@example.org";
  private static final String PHONE = "+1 415 555 0199";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String IBAN = "DE89 3704 0044 0532 0130 00";
  private static final String SECRET = "sk-proj-PlantedSecretValue0123456789abcdef";
  private static final String MARKER = "planted-marker-Zx81";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http().postJson(path, TestCredentials.DEV_USER, json);
  }

  private static String chat(String model, String content, String extra) {
    return "{\"model\":\""
        + model
        + "\","
        + extra
        + "\"messages\":[{\"role\":\"user\",\"content\":\""
        + content
        + "\"}]}";
  }

  @Test
  void noPlantedValueReachesTheLogs() throws Exception {
    String personal =
        MARKER + " mail " + EMAIL + " call " + PHONE + " card " + CARD + " iban " + IBAN;
    assertThat(post("v1/chat/completions", chat("gpt-4o-mini", personal, "")).statusCode())
        .isEqualTo(200);
    assertThat(
            post("v1/chat/completions", chat("gpt-4o-mini", personal, "\"stream\":true,"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post(
                    "v1/responses",
                    "{\"model\":\"gpt-4o-mini\",\"input\":\""
                        + personal
                        + "\",\"user\":\""
                        + EMAIL
                        + "\"}")
                .statusCode())
        .isEqualTo(200);
    // a secret is refused (pii_blocked), naming its type only
    HttpResponse<String> blocked =
        post("v1/chat/completions", chat("gpt-4o-mini", "use " + SECRET, ""));
    assertThat(blocked.statusCode()).isEqualTo(400);
    assertThat(blocked.body()).doesNotContain(SECRET);
    // the upstream fails with a message that echoes the key and the content
    mock.stub(
        MockAdmin.forModel(MockAdmin.request("POST", "/v1/chat/completions"), "gpt-4.1"),
        MockAdmin.error(
            400,
            "invalid_request_error",
            null,
            "Incorrect thing for mock-upstream-key near " + MARKER + " " + EMAIL));
    assertThat(post("v1/chat/completions", chat("gpt-4.1", personal, "")).statusCode())
        .isEqualTo(400);
    // malformed and refused bodies carrying the values
    post("v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[\"" + personal);
    post(
        "v1/chat/completions", chat("gpt-4o-mini", personal, "\"temperature\":\"" + EMAIL + "\","));
    post("v1/chat/completions", chat("gpt-4o-mini", personal, "\"n\":" + 7 + ",\"top_p\":9,"));
    post("v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"" + personal + "\"}");

    List<String> planted =
        List.of(
            MARKER,
            EMAIL,
            PHONE,
            CARD,
            CARD.replace(" ", ""),
            IBAN,
            IBAN.replace(" ", ""),
            SECRET,
            "mock-upstream-key",
            TestCredentials.DEV_USER.substring("Basic ".length()));
    Path logs =
        Path.of(
            System.getProperty("wlp.home"),
            "usr",
            "servers",
            System.getProperty("it.server"),
            "logs");
    // log writes are asynchronous: wait until the logs hold the line of a last, refused request
    // (WARDEN0806I names its path)
    String last = "logscan-last-" + UUID.randomUUID();
    assertThat(http().get("v1/responses/" + last, TestCredentials.DEV_ADMIN).statusCode())
        .isEqualTo(403);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> anyLogContains(logs, last));
    List<String> leaks = new ArrayList<>();
    boolean sawWardenId = false;
    try (Stream<Path> files = Files.walk(logs)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        sawWardenId |= text.matches("(?s).*WARDEN\\d{4}[IWE]: .*");
        for (String value : planted) {
          if (text.contains(value)) {
            leaks.add(value + " in " + logs.relativize(file));
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
    assertThat(sawWardenId).as("Warden's messages carry their ids").isTrue();
  }

  private static boolean anyLogContains(Path logs, String text) throws IOException {
    try (Stream<Path> files = Files.walk(logs)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains(text)) {
          return true;
        }
      }
    }
    return false;
  }
}
