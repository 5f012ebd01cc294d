package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the build packages (no server): the gateway WAR's {@code WEB-INF/lib} and the CycloneDX SBOM
 * that {@code mvn package} writes beside it (docs/libraries.md).
 */
class PackagingIT {

  private static final String LIBRARY_JAR = "warden-library.jar";

  private static List<String> libs;
  private static JsonObject sbom;

  @BeforeAll
  static void read() throws IOException {
    Path war = Path.of(System.getProperty("warden.war", "target/warden.war"));
    assertThat(war).isRegularFile();
    libs = new ArrayList<>();
    try (ZipFile zip = new ZipFile(war.toFile())) {
      zip.stream()
          .map(ZipEntry::getName)
          .filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
          .map(n -> n.substring("WEB-INF/lib/".length()))
          .forEach(libs::add);
    }
    Path bom = Path.of(System.getProperty("warden.sbom", "target/warden-bom.json"));
    assertThat(bom).isRegularFile();
    try (Reader in = Files.newBufferedReader(bom, StandardCharsets.UTF_8);
        JsonReader json = Json.createReader(in)) {
      sbom = json.readObject();
    }
  }

  @Test
  void theWarHoldsTheLibraryAndItsDependenciesButNoneOfTheRemovedOnes() {
    assertThat(libs).contains(LIBRARY_JAR);
    // commons-validator brought commons-beanutils 1.9.4 (CVE-2025-48734); both are gone
    assertThat(libs)
        .noneMatch(n -> n.startsWith("commons-validator-"))
        .noneMatch(n -> n.startsWith("commons-beanutils-"))
        .noneMatch(n -> n.startsWith("commons-digester-"))
        .noneMatch(n -> n.startsWith("commons-collections-"));
    // library logs go to Liberty's log through java.util.logging, not to the no-op provider
    assertThat(libs).noneMatch(n -> n.startsWith("slf4j-nop-"));
    assertThat(libs).anyMatch(n -> n.matches("slf4j-jdk14-2\\.\\d+\\.\\d+\\.jar"));
    assertThat(libs).anyMatch(n -> n.matches("slf4j-api-2\\.\\d+\\.\\d+\\.jar"));
    // exactly one SLF4J provider
    assertThat(libs.stream().filter(PackagingIT::isSlf4jProvider)).hasSize(1);
    // the server's libraries are never in the WAR (docs/libraries.md, decision 16)
    assertThat(libs)
        .noneMatch(n -> n.startsWith("hibernate-core-"))
        .noneMatch(n -> n.startsWith("h2-"))
        .noneMatch(n -> n.startsWith("postgresql-"))
        .noneMatch(n -> n.startsWith("jakarta."));
  }

  @Test
  void theLibraryJarCarriesAnEmptyFlywayCallbackFolder() throws IOException {
    // Flyway scans classpath:db/callback whatever it is configured with, and on Liberty's class
    // loader logs an error when the folder has no flyway.location marker
    Path war = Path.of(System.getProperty("warden.war", "target/warden.war"));
    try (ZipFile zip = new ZipFile(war.toFile())) {
      assertThat(zip.getEntry("WEB-INF/classes/db/callback/flyway.location")).isNull();
      Path jar = Files.createTempFile("warden-library", ".jar");
      try {
        try (InputStream in = zip.getInputStream(zip.getEntry("WEB-INF/lib/" + LIBRARY_JAR))) {
          Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        try (ZipFile library = new ZipFile(jar.toFile())) {
          assertThat(library.getEntry("db/callback/flyway.location")).isNotNull();
          assertThat(
                  library.stream()
                      .map(ZipEntry::getName)
                      .filter(n -> n.startsWith("db/") && !n.endsWith("/")))
              .containsExactly("db/callback/flyway.location");
        }
      } finally {
        Files.deleteIfExists(jar);
      }
    }
  }

  private static boolean isSlf4jProvider(String jar) {
    return jar.matches(
        "(slf4j-(nop|simple|jdk14|jdk-platform-logging|reload4j|log4j12)|logback-classic"
            + "|log4j-slf4j2?-impl)-.*\\.jar");
  }

  @Test
  void theSbomIsCycloneDxForWardenAndListsEveryLibraryOfTheWar() {
    assertThat(sbom.getString("bomFormat")).isEqualTo("CycloneDX");
    assertThat(sbom.getString("specVersion")).isNotBlank();
    JsonObject self = sbom.getJsonObject("metadata").getJsonObject("component");
    assertThat(self.getString("group")).isEqualTo("dev.warden");
    assertThat(self.getString("name")).isEqualTo("warden");

    Set<String> listed = new HashSet<>();
    Set<String> purls = new HashSet<>();
    for (JsonObject c : sbom.getJsonArray("components").getValuesAs(JsonObject.class)) {
      listed.add(c.getString("name") + "-" + c.getString("version") + ".jar");
      purls.add(c.getString("purl", ""));
      assertThat(c.getString("purl", "")).as(c.toString()).startsWith("pkg:maven/");
    }
    List<String> thirdParty = libs.stream().filter(n -> !n.equals(LIBRARY_JAR)).toList();
    assertThat(thirdParty).isNotEmpty();
    assertThat(listed).containsAll(thirdParty);
    // and nothing that was removed, nor anything only the server or the tests have
    assertThat(purls)
        .noneMatch(p -> p.startsWith("pkg:maven/commons-beanutils/"))
        .noneMatch(p -> p.startsWith("pkg:maven/commons-validator/"))
        .noneMatch(p -> p.startsWith("pkg:maven/org.slf4j/slf4j-nop@"))
        .noneMatch(p -> p.startsWith("pkg:maven/org.hibernate.orm/"))
        .noneMatch(p -> p.startsWith("pkg:maven/org.junit"));
    // every component is in the WAR: the SBOM describes what ships, not the build
    assertThat(thirdParty).containsAll(listed);
  }
}
