package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Development settings on a real Liberty with the gateway WAR: outside development mode ({@code
 * warden.dev-mode}) each of them stops the application's start with a message naming it; in
 * development mode they start, with one warning each. The development API key works only while the
 * development registry is on in development mode: a start without the registry, on the same
 * database, refuses it and revokes its row, and a later start with the registry brings it back.
 *
 * <p>One server of its own ({@link LibertyServer}: {@code <it.server>Start}, ports {@code
 * it.http.port + 4} and {@code it.https.port + 4}, an H2 database in its directory), restarted with
 * other system properties ({@code jvm.options}) for each configuration.
 */
class DevelopmentModeStartupIT {

  private static final String DEV_KEY_ID = "devuserkey01";
  private static final String JWKS_OVER_HTTP = "http://127.0.0.1:1/jwks.json";

  private static LibertyServer server;
  private static List<String> baseOptions;

  @BeforeAll
  static void createServer() throws Exception {
    Path wlp = Path.of(System.getProperty("wlp.home"));
    int httpPort = Integer.parseInt(System.getProperty("it.http.port")) + 4;
    int httpsPort = Integer.parseInt(System.getProperty("it.https.port")) + 4;
    baseOptions = LibertyServer.wardenJvmOptions();
    server =
        new LibertyServer(
            wlp,
            System.getProperty("it.server"),
            System.getProperty("it.server") + "Start",
            httpPort,
            Map.of("db.kind", "h2", "https.port", Integer.toString(httpsPort)),
            baseOptions,
            // production keysets (encrypted under a KEK file), so that the development setting
            // under test is the only thing a start outside development mode refuses
            HostAppIT.fileKekKeysets(
                HostAppIT.keyDirectory(System.getProperty("it.server") + "Start")),
            Path.of(System.getProperty("warden.war")));
  }

  @AfterAll
  static void removeServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theDevelopmentRegistryOutsideDevelopmentModeStopsTheStart() throws Exception {
    assertRefused(
        List.of("-Dwarden.identity.dev-registry.enabled=true"),
        "warden.identity.dev-registry.enabled is true");
  }

  @Test
  void jwtVerificationWithoutAnIssuerStopsTheStart() throws Exception {
    assertRefused(
        List.of(
            "-Dmp.jwt.verify.publickey.location=" + server.directory().resolve("jwt.pem"),
            "-Dmp.jwt.verify.audiences=warden"),
        "mp.jwt.verify.issuer is unset");
  }

  @Test
  void jwtVerificationWithoutAnAudienceStopsTheStart() throws Exception {
    assertRefused(
        List.of(
            "-Dmp.jwt.verify.publickey.location=" + server.directory().resolve("jwt.pem"),
            "-Dmp.jwt.verify.issuer=https://login.example.com"),
        "mp.jwt.verify.audiences is unset");
  }

  @Test
  void aJwksOverCleartextHttpStopsTheStart() throws Exception {
    assertRefused(
        List.of(
            "-Dmp.jwt.verify.publickey.location=" + JWKS_OVER_HTTP,
            "-Dmp.jwt.verify.issuer=https://login.example.com",
            "-Dmp.jwt.verify.audiences=warden"),
        "mp.jwt.verify.publickey.location is an http:// URL");
  }

  @Test
  void developmentModeStartsWithThemAndTheDevelopmentKeyLivesOnlyWithTheRegistry()
      throws Exception {
    // development mode: every development setting at once starts, with one warning each
    List<String> development =
        List.of(
            "-Dwarden.dev-mode=true",
            "-Dwarden.identity.dev-registry.enabled=true",
            "-Dmp.jwt.verify.publickey.location=" + JWKS_OVER_HTTP);
    Optional<InetAddress> other = nonLoopbackAddress();
    try {
      start(development, Map.of());
      List<String> warnings = lines("WARDEN0830W");
      assertThat(warnings).hasSize(4);
      assertThat(String.join("\n", warnings))
          .contains("warden.identity.dev-registry.enabled is true")
          .contains("mp.jwt.verify.issuer is unset")
          .contains("mp.jwt.verify.audiences is unset")
          .contains("mp.jwt.verify.publickey.location is an http:// URL");
      // by default Warden listens on this machine only
      assertThat(lines("CWWKO0219I")).allMatch(l -> l.contains("(IPv4: 127.0.0.1)"));
      other.ifPresent(a -> assertThat(accepts(a)).as("listening on " + a).isFalse());
      assertThat(chat().statusCode()).as("the development key, registry on").isEqualTo(200);
    } finally {
      server.stop();
    }

    // the same database, development mode still on, the registry off (and listening everywhere)
    try {
      start(List.of("-Dwarden.dev-mode=true"), Map.of("WARDEN_HTTP_HOST", "*"));
      assertThat(lines("CWWKO0219I")).allMatch(l -> l.contains("host *"));
      other.ifPresent(a -> assertThat(accepts(a)).as("listening on " + a).isTrue());
      HttpResponse<String> refused = chat();
      assertThat(refused.statusCode()).as("the development key, registry off").isEqualTo(401);
      assertThat(refused.body()).contains("invalid_api_key");
    } finally {
      server.stop();
    }
    assertThat(devKeyRevokedBy()).isEqualTo("warden: development registry off");

    // the registry on again: the key is back
    try {
      start(development, Map.of());
      assertThat(chat().statusCode()).as("the development key, registry on again").isEqualTo(200);
    } finally {
      server.stop();
    }
    assertThat(devKeyRevokedBy()).isNull();
  }

  /** An IPv4 address of this machine other than the loopback one, if it has one. */
  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return Optional.of(a);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the server's HTTP port accepts a connection on {@code address}. */
  private static boolean accepts(InetAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, server.base().getPort()), 2000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** Starts with {@code options} (development mode off) and expects the application to fail. */
  private static void assertRefused(List<String> options, String naming) throws Exception {
    configure(options, Map.of());
    try {
      server.startServer();
      String failed =
          server
              .awaitMessage("CWWKZ0002E", Duration.ofSeconds(180))
              .orElseThrow(() -> new AssertionError(LibertyServer.tail(server.messagesLog())));
      assertThat(failed)
          .contains("Warden does not start with development settings outside development mode")
          .contains(naming);
      HttpResponse<String> status = new WardenHttp(server.base()).get("v1/models", null);
      assertThat(status.statusCode()).as("the gateway is not serving").isEqualTo(404);
    } finally {
      server.stop();
    }
  }

  /** Starts with {@code options} and waits until the gateway answers. */
  private static void start(List<String> options, Map<String, String> env) throws Exception {
    configure(options, env);
    server.start("health/ready", null);
    assertThat(lines("CWWKZ0002E")).isEmpty();
  }

  /**
   * The server's options for the next start: the base ones plus {@code options}; {@code env} added
   * to its {@code server.env}; the logs of the last start removed.
   */
  private static void configure(List<String> options, Map<String, String> env) throws Exception {
    List<String> all = new ArrayList<>(baseOptions);
    all.addAll(options);
    Files.write(server.directory().resolve("jvm.options"), all, StandardCharsets.UTF_8);
    Path serverEnv = server.directory().resolve("server.env");
    List<String> envLines = new ArrayList<>();
    for (String line : Files.readAllLines(serverEnv, StandardCharsets.UTF_8)) {
      if (!line.startsWith("WARDEN_HTTP_HOST=")) {
        envLines.add(line);
      }
    }
    env.forEach((k, v) -> envLines.add(k + "=" + v));
    Files.write(serverEnv, envLines, StandardCharsets.UTF_8);
    Path logs = server.directory().resolve("logs");
    if (Files.isDirectory(logs)) {
      try (Stream<Path> files = Files.list(logs)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /** The lines of this start's {@code messages.log} that contain {@code text}. */
  private static List<String> lines(String text) throws Exception {
    return Files.readAllLines(server.messagesLog(), StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains(text))
        .toList();
  }

  /** A chat completion with the development key of the quick start. */
  private static HttpResponse<String> chat() throws Exception {
    return new WardenHttp(server.base())
        .postJson(
            "v1/chat/completions",
            TestCredentials.DEV_USER_BEARER,
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  /** {@code revoked_by} of the development key's row, read from the stopped server's database. */
  private static String devKeyRevokedBy() throws Exception {
    String url =
        "jdbc:h2:"
            + server.directory().resolve("data/warden")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE";
    try (Connection c = DriverManager.getConnection(url, "warden", "");
        PreparedStatement q =
            c.prepareStatement(
                "select revoked_at, revoked_by from warden_api_key where key_id = ?")) {
      q.setString(1, DEV_KEY_ID);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).as("the development key's row").isTrue();
        String by = rs.getString("revoked_by");
        assertThat(rs.getTimestamp("revoked_at") == null).isEqualTo(by == null);
        return by;
      }
    }
  }
}
