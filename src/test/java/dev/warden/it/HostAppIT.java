package dev.warden.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The proof that an existing application adds Warden as a library: the helpdesk under {@code
 * src/it/host-app} (its own pom.xml, package, JAX-RS resources, security constraints, error format
 * and server.xml) is built by the invoker plugin against the library artifact and runs on a Liberty
 * server of its own, talking to the mock upstream on the database of the build (H2 in its server
 * directory, or the PostgreSQL database of the gateway's tests, whose audit chain it then shares).
 * Everything is checked over HTTP, as the helpdesk's users and auditors see it. The helpdesk runs
 * as in production (development mode off), with its audit keysets encrypted under a key-encryption
 * key file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostAppIT {

  static final String CHAT = "/v1/chat/completions";
  static final String ALICE = TestCredentials.basic("alice", "alice-pw");
  static final String BOB = TestCredentials.basic("bob", "bob-pw");
  static final String CAROL = TestCredentials.basic("carol", "carol-pw");

  static LibertyServer server;

  /** HTTP requests to the helpdesk's API. */
  static WardenHttp http;

  final MockAdmin mock = MockAdmin.forIntegrationTests();

  @BeforeAll
  static void start() throws Exception {
    forgetBudgetOf("bob", "helpdesk");
    server = helpdesk("helpdeskIT", Integer.getInteger("it.host.http.port", 9280), true, true);
    server.start("helpdesk/api/status", null);
    http = new WardenHttp(server.base().resolve("helpdesk/api/"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close(null);
    }
  }

  /** The mock as the other test classes expect it: this class's stubs go before the next one. */
  @BeforeEach
  @AfterEach
  void clean() {
    mock.reset();
  }

  /**
   * The helpdesk on a server of its own, configured by its own server.xml; on PostgreSQL its data
   * source points at the build's database instead of H2. With {@code keysets}, it reaches the mock
   * upstream and runs as in production (development mode off): its audit keysets are encrypted
   * under a key-encryption key file ({@link #fileKekKeysets}).
   */
  static LibertyServer helpdesk(String name, int port, boolean dataSource, boolean keysets)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    if (keysets) {
      env.putAll(upstream());
      env.putAll(fileKekKeysets(keyDirectory(name)));
    }
    return helpdesk(name, port, dataSource, env);
  }

  /** The environment that points the helpdesk at the mock upstream. */
  static Map<String, String> upstream() {
    return Map.of(
        "WARDEN_OPENAI_BASE_URL",
        "http://127.0.0.1:" + System.getProperty("mock.port") + "/v1",
        "WARDEN_OPENAI_API_KEY",
        "mock-upstream-key");
  }

  /** A fresh directory for the keysets of the helpdesk server {@code name}. */
  static Path keyDirectory(String name) throws IOException {
    Path dir = Path.of(System.getProperty("host.app.dir")).resolveSibling("keys-" + name);
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    return Files.createDirectories(dir);
  }

  /** The helpdesk with the server environment {@code env}. */
  static LibertyServer helpdesk(String name, int port, boolean dataSource, Map<String, String> env)
      throws Exception {
    Path app = Path.of(System.getProperty("host.app.dir"));
    String serverXml = Files.readString(app.resolve("src/main/liberty/config/server.xml"));
    String block = "(?s)\\s*<!-- Warden: its data source.*?</dataSource>";
    if (!dataSource) {
      serverXml = serverXml.replaceFirst(block, "");
    } else if ("postgresql".equals(System.getProperty("db.kind"))) {
      serverXml =
          serverXml.replaceFirst(
              block,
              "\n  <library id=\"postgresql\">"
                  + "<fileset dir=\"\\${server.config.dir}/lib/jdbc\" includes=\"*.jar\"/>"
                  + "</library>\n  <dataSource id=\"wardenDS\" jndiName=\"jdbc/warden\""
                  + " transactional=\"true\"><jdbcDriver libraryRef=\"postgresql\"/>"
                  + "<properties.postgresql serverName=\"127.0.0.1\" portNumber=\"5432\""
                  + " databaseName=\""
                  + System.getProperty("db.name", "warden")
                  + "\" user=\"postgres\" password=\"\"/></dataSource>");
    }
    return LibertyServer.withServerXml(
        Path.of(System.getProperty("wlp.home")),
        System.getProperty("it.server"),
        name,
        port,
        serverXml,
        Map.of(),
        List.of("-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1"),
        env,
        Path.of(System.getProperty("host.app.war")));
  }

  /**
   * The production configuration of small installations: a key-encryption key file made with {@code
   * KeysetTool new-aead}, and the audit keysets encrypted under it ({@link #encryptedKeysets}) in
   * {@code dir}. Returns the server environment naming them.
   */
  static Map<String, String> fileKekKeysets(Path dir) throws Exception {
    Path kek = dir.resolve("kek.json");
    keysetTool(Map.of(), "new-aead", kek.toString());
    Map<String, String> env =
        new HashMap<>(
            encryptedKeysets(dir, Map.of(), List.of("--kek-keyset-file", kek.toString())));
    env.put("WARDEN_AUDIT_KEK_KEYSET_FILE", kek.toString());
    return env;
  }

  /**
   * The gateway tests' development keysets (master, MAC, signing, pseudonym; made first if no
   * server has made them yet), encrypted with {@code KeysetTool encrypt} under the KEK of {@code
   * kekOptions} into {@code dir}: the same keys, so on PostgreSQL the helpdesk and the gateway
   * write one audit chain, but only in encrypted form. Returns the server environment naming the
   * files.
   */
  static Map<String, String> encryptedKeysets(
      Path dir, Map<String, String> toolEnv, List<String> kekOptions) throws Exception {
    Path dev = Path.of(System.getProperty("warden.audit.dev-keyset-dir"));
    if (!Files.isDirectory(dev)) {
      Files.createDirectories(
          dev, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    String[][] keysets = {
      {"master", "new-aead", "WARDEN_AUDIT_ENCRYPTED_KEYSET_FILE"},
      {"mac", "new-mac", "WARDEN_AUDIT_ENCRYPTED_MAC_KEYSET_FILE"},
      {"signing", "new-signing", "WARDEN_AUDIT_ENCRYPTED_SIGNING_KEYSET_FILE"},
      {"pseudonym", "new-pseudonym", "WARDEN_AUDIT_ENCRYPTED_PSEUDONYM_KEYSET_FILE"}
    };
    Map<String, String> env = new HashMap<>();
    for (String[] k : keysets) {
      Path clear = dev.resolve(k[0] + ".json");
      if (!Files.exists(clear)) {
        keysetToolMayFail(Map.of(), k[1], clear.toString()); // a server may have raced us to it
      }
      Path encrypted = dir.resolve(k[0] + ".enc.json");
      List<String> args =
          new ArrayList<>(List.of("encrypt", clear.toString(), encrypted.toString(), k[0]));
      args.addAll(kekOptions);
      keysetTool(toolEnv, args.toArray(String[]::new));
      assertFalse(Files.readString(encrypted).contains("\"value\""), "no cleartext key");
      env.put(k[2], encrypted.toString());
    }
    return env;
  }

  /** Runs {@code KeysetTool} as an operator does, in a JVM of its own with {@code env}. */
  static String keysetTool(Map<String, String> env, String... args) throws Exception {
    Process p = keysetToolProcess(env, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "KeysetTool " + args[0] + " ended");
    assertEquals(0, p.exitValue(), "KeysetTool " + String.join(" ", args) + ": " + out);
    return out;
  }

  private static void keysetToolMayFail(Map<String, String> env, String... args) throws Exception {
    Process p = keysetToolProcess(env, args);
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "KeysetTool " + args[0] + " ended");
  }

  private static Process keysetToolProcess(Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.warden.crypto.KeysetTool");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    return pb.start();
  }

  /** On PostgreSQL, what earlier runs of today left in {@code principal}'s budget. */
  static void forgetBudgetOf(String principal, String tenant) throws Exception {
    if (!"postgresql".equals(System.getProperty("db.kind"))) {
      return; // H2 lives in the helpdesk's new server directory
    }
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("db.name", "warden"),
                "postgres",
                "");
        PreparedStatement budgets =
            c.prepareStatement("delete from cost_budget where subject in (?, ?)");
        PreparedStatement usage =
            c.prepareStatement("delete from cost_usage where principal = ?")) {
      budgets.setString(1, principal);
      budgets.setString(2, tenant);
      budgets.executeUpdate();
      usage.setString(1, principal);
      usage.executeUpdate();
    }
  }

  static JsonStructure json(HttpResponse<String> response) {
    return Json.createReader(new StringReader(response.body())).read();
  }

  static JsonObject ticket(String text) {
    return Json.createObjectBuilder().add("text", text).build();
  }

  /** Today's recorded calls of {@code principal}, newest first, from the helpdesk's audit page. */
  static List<JsonObject> callsOf(String principal) throws Exception {
    HttpResponse<String> r =
        http.send("GET", "compliance/calls?principal=" + principal, CAROL, null);
    assertEquals(200, r.statusCode(), r.body());
    return ((JsonArray) json(r)).getValuesAs(JsonObject.class);
  }

  @Test
  @Order(1)
  void aReplyReachesTheHostsEndpointWhileTheUpstreamSeesPlaceholdersAndTheCallIsTheUsers()
      throws Exception {
    int before = callsOf("alice").size();

    HttpResponse<String> r =
        http.send(
            "POST",
            "tickets/draft/retried",
            ALICE,
            ticket("Please write to jane.doe@example.com about the refund"));

    assertEquals(200, r.statusCode(), r.body());
    String reply = ((JsonObject) json(r)).getString("reply");
    assertTrue(reply.contains("jane.doe@example.com"), reply);
    List<JsonObject> sent = mock.find(MockAdmin.request("POST", CHAT));
    assertEquals(1, sent.size());
    String body = sent.get(0).getString("body");
    assertFalse(body.contains("jane.doe@example.com"), body);
    assertTrue(body.contains("<EMAIL_1>"), body);

    List<JsonObject> calls = callsOf("alice");
    assertEquals(before + 1, calls.size());
    JsonObject call = calls.get(0);
    assertEquals("alice", call.getString("principal"));
    assertEquals("helpdesk", call.getString("tenant"));
    assertEquals("chat.completions", call.getString("operation"));
    assertEquals("draft-reply", call.getString("promptId"));
    assertEquals("SUCCEEDED", call.getString("outcome"));
  }

  @Test
  @Order(2)
  void anAsynchronousMethodAnswersAsTheHostsUser() throws Exception {
    int before = callsOf("alice").size();

    HttpResponse<String> r =
        http.send("POST", "tickets/summary", ALICE, ticket("VPN down, urgent"));

    assertEquals(200, r.statusCode(), r.body());
    assertEquals("mock", ((JsonObject) json(r)).getString("summary"));
    List<JsonObject> calls = callsOf("alice");
    assertEquals(before + 1, calls.size());
    assertEquals("ticket-summary", calls.get(0).getString("promptId"));
    assertEquals("helpdesk", calls.get(0).getString("tenant"));
  }

  @Test
  @Order(3)
  void aBudgetForTheHostsUserRefusesTheNextCallBeforeItReachesTheUpstream() throws Exception {
    int answered = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < 40 && refused == null; i++) {
      HttpResponse<String> r =
          http.send("POST", "tickets/answer", BOB, ticket("Where is my order?"));
      if (r.statusCode() == 200) {
        answered++;
      } else {
        refused = r;
      }
    }

    assertTrue(answered > 0, "bob's first call fits his budget");
    assertTrue(refused != null, "bob's budget refused a call within 40");
    assertEquals(429, refused.statusCode(), refused.body());
    JsonObject error = (JsonObject) json(refused);
    assertEquals(429, error.getInt("status"), "the helpdesk's own error format");
    assertTrue(error.getString("message").contains("budget"), error.toString());
    assertEquals(answered, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  @Order(4)
  void theSpecificationsConfigurationOverrideSetsMaxRetriesOfAnInterfaceMethod() throws Exception {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(503, "server_error", null, "overloaded for the test"));

    HttpResponse<String> r = http.send("POST", "tickets/draft/retried", ALICE, ticket("Hello?"));

    assertEquals(503, r.statusCode(), r.body());
    assertEquals(503, ((JsonObject) json(r)).getInt("status"));
    // @Retry(maxRetries = 5), set to 1 in the helpdesk's microprofile-config.properties
    assertEquals(2, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  @Order(5)
  void theHostsOwnEndpointsKeepTheirSecurityAndErrorFormat() throws Exception {
    HttpResponse<String> status = http.send("GET", "status", null, null);
    assertEquals(200, status.statusCode(), status.body());
    assertEquals("helpdesk", ((JsonObject) json(status)).getString("service"));

    HttpResponse<String> anonymous = http.send("POST", "tickets/draft", null, ticket("Hi"));
    assertEquals(401, anonymous.statusCode());
    assertTrue(
        anonymous.headers().firstValue("WWW-Authenticate").orElse("").contains("helpdesk"),
        anonymous.headers().map().toString());

    HttpResponse<String> forbidden = http.send("GET", "compliance/integrity", ALICE, null);
    assertEquals(403, forbidden.statusCode());

    HttpResponse<String> missing = http.send("GET", "no-such-thing", ALICE, null);
    assertEquals(404, missing.statusCode(), missing.body());
    assertEquals(404, ((JsonObject) json(missing)).getInt("status"), missing.body());

    // nothing of the gateway is there
    HttpResponse<String> gateway = new WardenHttp(server.base()).get("v1/models", ALICE);
    assertEquals(404, gateway.statusCode());
    assertEquals(0, mock.count(MockAdmin.request("POST", CHAT)));
  }

  @Test
  @Order(6)
  void a503StormOpensTheInterfaceMethodsCircuitBreakerAndItsFallbackAnswers() throws Exception {
    mock.stub(
        MockAdmin.request("POST", CHAT),
        MockAdmin.error(503, "server_error", null, "overloaded for the test"));
    String canned = "Thank you for your message. An agent will answer shortly.";

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = http.send("POST", "tickets/draft", ALICE, ticket("Hello " + i));
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(canned, ((JsonObject) json(r)).getString("reply"));
    }
    // one attempt each: the method's own Fault Tolerance is the only layer that retries
    assertEquals(4, mock.count(MockAdmin.request("POST", CHAT)));

    HttpResponse<String> open = http.send("POST", "tickets/draft", ALICE, ticket("Hello again"));

    assertEquals(200, open.statusCode(), open.body());
    assertEquals(canned, ((JsonObject) json(open)).getString("reply"));
    assertEquals(4, mock.count(MockAdmin.request("POST", CHAT)), "the open breaker called nobody");
  }

  @Test
  @Order(7)
  void theAuditChainVerifies() throws Exception {
    HttpResponse<String> r = http.send("GET", "compliance/integrity", CAROL, null);

    assertEquals(200, r.statusCode(), r.body());
    JsonObject integrity = (JsonObject) json(r);
    assertTrue(integrity.getBoolean("intact"), r.body());
    assertTrue(integrity.getJsonNumber("recordsChecked").longValue() >= 8, r.body());
  }
}
