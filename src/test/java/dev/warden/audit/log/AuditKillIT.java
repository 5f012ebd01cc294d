package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.chain.VerificationResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Durability under SIGKILL: a separate JVM appends audit records through the real persistence stack
 * from four threads and reports each append once it has returned (when Warden would answer). It is
 * killed with SIGKILL in the middle of its writes. Reopened, the database holds every reported
 * record, and the chain verifies (no torn record, no fork, the MACed head matches). Runs in both CI
 * passes: an H2 file database on the H2 pass, a fresh {@code warden_audit_kill} PostgreSQL database
 * on the PostgreSQL pass.
 */
class AuditKillIT {

  static final int WRITERS = 4;
  static final int KILL_AFTER = 300;

  @Test
  void everyRecordReportedBeforeASigkillIsThereAndTheChainVerifies() throws Exception {
    boolean postgres = "postgresql".equals(System.getProperty("db.kind"));
    Path dir = Files.createTempDirectory("warden-kill");
    // on H2, the connection options of Warden's own server (liberty/db-h2.xml), on a file
    SeAuditStack.Db db =
        postgres
            ? SeAuditStack.Db.freshPostgres("warden_audit_kill")
            : new SeAuditStack.Db(
                "jdbc:h2:" + dir.resolve("warden") + serverH2Options(), "warden", "");
    SeAuditStack.Keys keys = new SeAuditStack.Keys();
    Path mac = dir.resolve("mac.json");
    Files.writeString(mac, keys.macKeysetJson(), StandardCharsets.UTF_8);

    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AuditKillWriter.class.getName(),
                db.url(),
                db.user(),
                db.password(),
                mac.toString(),
                Integer.toString(WRITERS))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    TreeSet<Long> reported = new TreeSet<>();
    List<String> other = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (reported.size() < KILL_AFTER && (line = lines.readLine()) != null) {
        if (line.startsWith("committed ")) {
          reported.add(Long.parseLong(line.substring("committed ".length()).trim()));
        } else {
          other.add(line);
        }
      }
      assertThat(reported).as("the writer died early: %s", other).hasSize(KILL_AFTER);
      writer.destroyForcibly(); // SIGKILL: no shutdown hook, no orderly close of the database
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      writer.destroyForcibly();
    }
    assertThat(writer.exitValue()).isEqualTo(137); // 128 + SIGKILL

    try (SeAuditStack reopened = new SeAuditStack(db, 1, keys)) {
      List<Long> stored = reopened.sequences();
      assertThat(stored).containsAll(reported);
      assertThat(stored)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, stored.size()).boxed().toList());
      VerificationResult result = reopened.verify();
      assertThat(result.intact()).as(result.toString()).isTrue();
      assertThat(result.head().sequence()).isEqualTo(stored.size());
    }
  }

  /** The options after the database path in the server's H2 URL, e.g. {@code ;MODE=PostgreSQL}. */
  private static String serverH2Options() throws java.io.IOException {
    String xml = Files.readString(Path.of("liberty", "db-h2.xml"), StandardCharsets.UTF_8);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("URL=\"jdbc:h2:[^;\"]*(;[^\"]*)\"").matcher(xml);
    assertThat(m.find()).as("an H2 URL in liberty/db-h2.xml").isTrue();
    return m.group(1);
  }
}
