package dev.warden.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runnable server package ({@code target/warden-server.jar}, built by {@code mvn package}) as
 * an operator starts it: {@code java -jar} with nothing but the environment, in production mode
 * (encrypted keysets under a KEK file, JWT callers), on the database the environment names
 * (PostgreSQL in the PostgreSQL run, in a database of its own; else the package's default, H2). It
 * becomes ready, answers a call, audits it in that database with a chain that verifies, and stops
 * on SIGTERM.
 */
class PackagedServerIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String DATABASE = "warden_package_it";

  private static Process server;
  private static Path work;
  private static URI base;
  private static TestJwts jwts;
  private static boolean postgres;

  @BeforeAll
  static void startThePackage() throws Exception {
    Path jar = Path.of("target", "warden-server.jar");
    assertThat(jar).as("mvn package builds the runnable server package").isRegularFile();
    work = Path.of("target", "packaged-server-it");
    delete(work);
    Files.createDirectories(work);
    int httpPort = Integer.parseInt(System.getProperty("it.http.port")) + 6;
    int httpsPort = Integer.parseInt(System.getProperty("it.https.port")) + 6;
    base = URI.create("http://127.0.0.1:" + httpPort + "/");
    postgres = "postgresql".equals(System.getProperty("db.kind"));
    jwts = TestJwts.install();

    Map<String, String> env = new HashMap<>();
    env.put("WLP_JAR_EXTRACT_DIR", work.resolve("extract").toAbsolutePath().toString());
    env.put("WARDEN_HTTP_PORT", Integer.toString(httpPort));
    env.put("WARDEN_HTTPS_PORT", Integer.toString(httpsPort));
    env.put(
        "WARDEN_OPENAI_BASE_URL", "http://127.0.0.1:" + System.getProperty("mock.port") + "/v1");
    env.put("WARDEN_OPENAI_API_KEY", "mock-upstream-key");
    env.put(
        "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
        Path.of(System.getProperty("it.jwt.dir", "target/it-jwt"), "public.pem")
            .toAbsolutePath()
            .toString());
    env.put("MP_JWT_VERIFY_ISSUER", TestJwts.ISSUER);
    env.put("MP_JWT_VERIFY_AUDIENCES", "warden");
    // the token groups that hold Warden's roles (warden.identity.roles.<role>)
    env.put("WARDEN_IDENTITY_ROLES_AI_USER", "ai-user");
    env.put("WARDEN_IDENTITY_ROLES_AUDITOR", "auditor");
    env.putAll(HostAppIT.fileKekKeysets(HostAppIT.keyDirectory("package")));
    if (postgres) {
      try (Connection c = postgres("postgres");
          Statement s = c.createStatement()) {
        s.execute("drop database if exists " + DATABASE);
        s.execute("create database " + DATABASE);
      }
      env.put("WARDEN_DB_KIND", "postgresql");
      env.put("WARDEN_DB_NAME", DATABASE);
    } else {
      // the package's default kind, with the file where the operator says
      env.put("WARDEN_H2_DIR", work.resolve("h2").toAbsolutePath().toString());
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("console.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("WARDEN_") || k.startsWith("MP_JWT"));
    pb.environment().putAll(env);
    server = pb.start();
    await("the package's /health/ready")
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> server.isAlive() && get("health/ready", null).statusCode() == 200);
  }

  @AfterAll
  static void stopThePackage() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroy(); // SIGTERM, as an orchestrator stops it
      if (!server.waitFor(90, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void itAnswersAuditsInTheDatabaseItWasGivenAndStopsOnSigterm() throws Exception {
    String user = jwts.bearer("pat@acme", "acme", "ai-user");
    HttpResponse<String> chat =
        post(
            "v1/chat/completions",
            user,
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    assertThat(json(chat.body()).getJsonArray("choices")).hasSize(1);
    String requestId = chat.headers().firstValue("x-request-id").orElseThrow();

    // the call is audited, and the chain verifies, with the production keysets
    String auditor = jwts.bearer("aud@acme", "acme", "auditor");
    HttpResponse<String> search = get("api/audit?principal=pat@acme", auditor);
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(search.body()).contains(requestId);
    HttpResponse<String> verify = post("api/audit/verify", auditor, "");
    assertThat(json(verify.body()).getBoolean("ok")).as(verify.body()).isTrue();

    // in the database the environment named
    if (postgres) {
      try (Connection c = postgres(DATABASE);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "select count(*) from audit_record where request_id = '" + requestId + "'")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getLong(1)).isEqualTo(1);
      }
    } else {
      assertThat(work.resolve("h2/warden.mv.db")).isRegularFile();
    }

    // production mode: no caller, no answer, in OpenAI's error format
    HttpResponse<String> anonymous = get("v1/models", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(json(anonymous.body()).getJsonObject("error").getString("message")).isNotBlank();

    // SIGTERM stops it cleanly
    server.destroy();
    assertThat(server.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
    assertThat(Files.readString(work.resolve("console.log"))).contains("CWWKE0036I");
  }

  private static Connection postgres(String database) throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String authorization, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(String body) {
    return Json.createReader(new StringReader(body)).readObject();
  }

  private static void delete(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }
}
