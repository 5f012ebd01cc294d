package dev.warden.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container recipe and the Kubernetes manifests under {@code deploy/} parse, hang together, and
 * name only settings Warden reads: every environment variable they set is one that
 * docs/configuration.md documents (and ConfigurationReferenceTest proves the code reads). No image
 * can be pulled here, so this is what can be checked without a cluster; PackagedServerIT runs the
 * same server for real.
 */
class DeploymentFilesTest {
  static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  // Jackson's YAML reader, which the schema validator already brings (docs/libraries.md)
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The environment variable column of docs/configuration.md, as patterns. */
  static final List<Pattern> documentedEnv = new ArrayList<>();

  @BeforeAll
  static void readTheReference() throws IOException {
    Pattern cell = Pattern.compile("`([A-Z][A-Z0-9_<>]*)`");
    for (String line : Files.readAllLines(ROOT.resolve("docs/configuration.md"))) {
      String[] cells = line.split("\\|");
      if (cells.length < 4) {
        continue;
      }
      Matcher m = cell.matcher(cells[2]);
      while (m.find()) {
        documentedEnv.add(
            Pattern.compile(
                Pattern.quote(m.group(1)).replaceAll("<[A-Z_]+>", "\\\\E[A-Z0-9_]+\\\\Q")));
      }
    }
    assertThat(documentedEnv).hasSizeGreaterThan(50);
  }

  static boolean documented(String env) {
    return documentedEnv.stream().anyMatch(p -> p.matcher(env).matches());
  }

  @Test
  void theOpenLibertyApplicationHasProbesResourcesAnAutoscalerAndOnlyWardensSettings()
      throws IOException {
    JsonNode app = YAML.readTree(ROOT.resolve("deploy/kubernetes/warden.yaml").toFile());
    assertThat(app.path("apiVersion").asText()).isEqualTo("apps.openliberty.io/v1");
    assertThat(app.path("kind").asText()).isEqualTo("OpenLibertyApplication");
    JsonNode spec = app.path("spec");
    int port = spec.path("service").path("port").asInt();
    assertThat(port).isEqualTo(9080);

    // MicroProfile Health's three endpoints, on the service's port
    assertThat(spec.path("probes").path("startup").path("httpGet").path("path").asText())
        .isEqualTo("/health/started");
    assertThat(spec.path("probes").path("liveness").path("httpGet").path("path").asText())
        .isEqualTo("/health/live");
    assertThat(spec.path("probes").path("readiness").path("httpGet").path("path").asText())
        .isEqualTo("/health/ready");
    spec.path("probes")
        .forEach(p -> assertThat(p.path("httpGet").path("port").asInt()).isEqualTo(port));

    JsonNode scaling = spec.path("autoscaling");
    int min = scaling.path("minReplicas").asInt();
    int max = scaling.path("maxReplicas").asInt();
    assertThat(min).isPositive();
    assertThat(max).isGreaterThanOrEqualTo(min);
    assertThat(spec.path("replicas").asInt()).isBetween(min, max);
    assertThat(scaling.path("targetCPUUtilizationPercentage").asInt()).isBetween(1, 100);
    // the autoscaler measures CPU against the request, so there must be one
    assertThat(spec.path("resources").path("requests").path("cpu").asText()).isNotEmpty();
    assertThat(spec.path("resources").path("requests").path("memory").asText()).isNotEmpty();

    // every variable is one Warden reads; secrets come from the PostgreSQL secret's keys
    JsonNode secret =
        YAML.readTree(ROOT.resolve("deploy/kubernetes/postgresql-secret.yaml").toFile());
    assertThat(secret.path("kind").asText()).isEqualTo("Secret");
    Set<String> secretKeys = new HashSet<>();
    secret.path("stringData").fieldNames().forEachRemaining(secretKeys::add);
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode e : spec.path("env")) {
      String name = e.path("name").asText();
      names.add(name);
      assertThat(documented(name)).as(name + " is a documented setting").isTrue();
      JsonNode ref = e.path("valueFrom").path("secretKeyRef");
      if (!ref.isMissingNode()) {
        assertThat(ref.path("name").asText())
            .isEqualTo(secret.path("metadata").path("name").asText());
        assertThat(secretKeys).as(name).contains(ref.path("key").asText());
      }
    }
    // production needs its keysets and a database
    assertThat(names)
        .contains(
            "WARDEN_DB_KIND",
            "WARDEN_AUDIT_ENCRYPTED_KEYSET_FILE",
            "WARDEN_AUDIT_ENCRYPTED_MAC_KEYSET_FILE",
            "WARDEN_AUDIT_ENCRYPTED_SIGNING_KEYSET_FILE",
            "WARDEN_AUDIT_ENCRYPTED_PSEUDONYM_KEYSET_FILE");
    assertThat(names).doesNotContain("WARDEN_DEV_MODE", "WARDEN_AUDIT_DEV_KEYSET_DIR");

    // files the variables name are in mounted volumes, and every mount has its volume
    Set<String> volumes = new HashSet<>();
    spec.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
    List<String> mounts = new ArrayList<>();
    for (JsonNode m : spec.path("volumeMounts")) {
      assertThat(volumes).contains(m.path("name").asText());
      mounts.add(m.path("mountPath").asText() + "/");
    }
    // the audit journal is on the pod's own persistent volume, which outlives the pod
    String storage = spec.path("statefulSet").path("storage").path("mountPath").asText();
    assertThat(storage).isNotEmpty();
    assertThat(spec.path("statefulSet").path("storage").path("size").asText()).isNotEmpty();
    for (JsonNode e : spec.path("env")) {
      if (e.path("name").asText().equals("WARDEN_AUDIT_JOURNAL_DIR")) {
        assertThat(e.path("value").asText()).startsWith(storage + "/");
        mounts.add(storage + "/");
      }
    }
    assertThat(names).contains("WARDEN_AUDIT_JOURNAL_DIR");
    for (JsonNode e : spec.path("env")) {
      if (e.path("name").asText().endsWith("_FILE")) {
        String file = e.path("value").asText();
        assertThat(mounts).as(file).anyMatch(file::startsWith);
      }
    }
  }

  @Test
  void theContainerfileUsesTheOfficialImageAndOnlyWardensSettings() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("deploy/Containerfile"));
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      current.append(line.strip());
      if (line.endsWith("\\")) {
        current.setLength(current.length() - 1);
        current.append(' ');
      } else {
        instructions.add(current.toString());
        current.setLength(0);
      }
    }
    assertThat(instructions.get(0)).startsWith("FROM icr.io/appcafe/open-liberty:kernel-slim");
    assertThat(instructions).contains("RUN features.sh", "RUN configure.sh");
    assertThat(instructions.indexOf("RUN features.sh"))
        .as("features are installed from server.xml, after it is copied")
        .isGreaterThan(indexOfStart(instructions, "COPY --chown=1001:0 liberty/server.xml"));
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    for (String i : instructions) {
      if (i.startsWith("ENV ")) {
        for (String pair : i.substring(4).trim().split("\\s+")) {
          String name = pair.substring(0, pair.indexOf('='));
          assertThat(documented(name)).as(name + " is a documented setting").isTrue();
        }
      }
      if (i.startsWith("COPY ")) {
        String[] parts = i.split("\\s+");
        for (int k = 1; k < parts.length - 1; k++) {
          String source = parts[k];
          if (source.startsWith("--")) {
            continue;
          }
          if (source.startsWith("target/")) {
            // made by mvn package: the WAR, and the runnable package's server (pom.xml)
            assertThat(source)
                .isIn("target/warden.war", "target/liberty/wlp/usr/servers/gateway/lib/");
            assertThat(pom).contains("<serverName>gateway</serverName>");
          } else {
            assertThat(ROOT.resolve(source)).as(source).exists();
          }
        }
      }
    }
  }

  private static int indexOfStart(List<String> instructions, String prefix) {
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
