package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix end to end, over HTTP as a new user meets it: the development registry's
 * accounts, Warden API keys made by an admin (scoped, rate limited, expiring, revocable) and
 * MicroProfile JWTs signed by this test's own key pair (the server reads its public half from
 * {@code mp.jwt.verify.publickey.location}).
 */
class IdentityIT extends WardenIntegrationTest {

  private static final String ISSUER = "https://issuer.warden-it.example";
  private static PrivateKey jwtKey;
  private static PrivateKey otherKey;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    jwtKey = pair.getPrivate();
    otherKey = g.generateKeyPair().getPrivate();
    Path dir = Path.of(System.getProperty("it.jwt.dir", "target/it-jwt"));
    Files.createDirectories(dir);
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    Files.writeString(dir.resolve("public.pem"), pem);
  }

  // --- the matrix --------------------------------------------------------------------------------

  @Test
  void withoutCredentialsEverySurfaceAnswers401InItsOwnFormat() throws Exception {
    HttpResponse<String> v1 = http().send("POST", "v1/chat/completions", null, chat("gpt-4o-mini"));
    assertThat(v1.statusCode()).isEqualTo(401);
    assertThat(v1.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    assertThat(json(v1).getJsonObject("error").getString("code")).isEqualTo("missing_credentials");

    HttpResponse<String> api = http().send("GET", "api/usage", null, null);
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(json(api).getInt("status")).isEqualTo(401);

    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isZero();
  }

  @Test
  void wrongCredentialsAre401AndNeverEchoed() throws Exception {
    HttpResponse<String> password =
        http().send("GET", "api/me", TestCredentials.basic("dev-user", "not-the-password"), null);
    assertThat(password.statusCode()).isEqualTo(401);
    assertThat(json(password).getString("code")).isEqualTo("invalid_credentials");
    assertThat(password.body()).doesNotContain("not-the-password");

    String forged = "wk_devuserkey01_" + "x".repeat(43);
    HttpResponse<String> key =
        http().send("POST", "v1/chat/completions", "Bearer " + forged, chat("gpt-4o-mini"));
    assertThat(key.statusCode()).isEqualTo(401);
    assertThat(json(key).getJsonObject("error").getString("code")).isEqualTo("invalid_api_key");
    assertThat(key.body()).doesNotContain(forged);

    HttpResponse<String> scheme = http().send("GET", "api/me", "Digest foo", null);
    assertThat(scheme.statusCode()).isEqualTo(401);
  }

  @Test
  void anAiUserCallsModelsButReadsNoAuditAndManagesNoKeys() throws Exception {
    assertThat(
            http()
                .send("POST", "v1/chat/completions", TestCredentials.DEV_USER, chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            http()
                .send(
                    "POST",
                    "v1/chat/completions",
                    TestCredentials.DEV_USER_BEARER,
                    chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(200);
    assertForbiddenProblem(http().send("GET", "api/keys", TestCredentials.DEV_USER, null));
    assertForbiddenProblem(
        http()
            .send(
                "POST",
                "api/keys",
                TestCredentials.DEV_USER,
                Json.createObjectBuilder().add("owner", "dev-user").build()));
  }

  @Test
  void anAiUserSeesOnlyItsOwnUsage() throws Exception {
    assertThat(
            http()
                .send("POST", "v1/chat/completions", TestCredentials.DEV_USER, chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            http()
                .send(
                    "POST",
                    "v1/chat/completions",
                    TestCredentials.basic("dev-user-2", "dev-user-2"),
                    chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(200);

    JsonObject own =
        json(http().send("GET", "api/usage?group_by=principal", TestCredentials.DEV_USER, null));
    assertThat(principals(own)).containsExactly("dev-user");
    assertForbiddenProblem(
        http().send("GET", "api/usage?principal=dev-user-2", TestCredentials.DEV_USER, null));

    JsonObject all =
        json(http().send("GET", "api/usage?group_by=principal", TestCredentials.DEV_AUDITOR, null));
    assertThat(principals(all)).contains("dev-user", "dev-user-2");
  }

  @Test
  void anAuditorReadsUsageButCannotCallAModelOrManageKeys() throws Exception {
    HttpResponse<String> call =
        http()
            .send("POST", "v1/chat/completions", TestCredentials.DEV_AUDITOR, chat("gpt-4o-mini"));
    assertThat(call.statusCode()).isEqualTo(403);
    assertThat(json(call).getJsonObject("error").getString("code")).isEqualTo("permission_denied");
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isZero();
    assertThat(http().send("GET", "api/usage", TestCredentials.DEV_AUDITOR, null).statusCode())
        .isEqualTo(200);
    assertForbiddenProblem(http().send("GET", "api/keys", TestCredentials.DEV_AUDITOR, null));
  }

  @Test
  void anAdminManagesKeysAndReadsUsageButCannotCallModelsOrReadTheAudit() throws Exception {
    assertThat(
            http()
                .send("POST", "v1/chat/completions", TestCredentials.DEV_ADMIN, chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(403);
    assertThat(http().send("GET", "api/usage", TestCredentials.DEV_ADMIN, null).statusCode())
        .isEqualTo(200);
    assertThat(
            http().send("GET", "api/usage/budgets", TestCredentials.DEV_ADMIN, null).statusCode())
        .isEqualTo(200);
    assertForbiddenProblem(http().send("GET", "api/audit", TestCredentials.DEV_ADMIN, null));
    assertThat(http().send("GET", "api/keys", TestCredentials.DEV_ADMIN, null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aV1CallerReachesOnlyTheStoredObjectsItsPrincipalCreated() throws Exception {
    JsonObject request =
        Json.createObjectBuilder()
            .add("model", "gpt-4o-mini")
            .add("input", "Remember: my address is jane.doe@example.com")
            .add("store", true)
            .build();
    HttpResponse<String> created =
        http().send("POST", "v1/responses", TestCredentials.DEV_USER, request);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String id = json(created).getString("id");
    String other = TestCredentials.basic("dev-user-2", "dev-user-2");

    assertThat(
            http().send("GET", "v1/responses/" + id, TestCredentials.DEV_USER, null).statusCode())
        .isEqualTo(200);
    mock.reset();
    for (String[] op :
        new String[][] {
          {"GET", "v1/responses/" + id},
          {"GET", "v1/responses/" + id + "/input_items"},
          {"POST", "v1/responses/" + id + "/cancel"},
          {"DELETE", "v1/responses/" + id}
        }) {
      HttpResponse<String> r = http().send(op[0], op[1], other, null);
      assertThat(r.statusCode()).as(op[0] + " " + op[1]).isEqualTo(404);
      assertThat(r.body()).doesNotContain("jane.doe");
    }
    // nor can another caller continue the conversation, which would restore its personal data
    HttpResponse<String> follow =
        http()
            .send(
                "POST",
                "v1/responses",
                other,
                Json.createObjectBuilder()
                    .add("model", "gpt-4o-mini")
                    .add("input", "What is my address?")
                    .add("previous_response_id", id)
                    .build());
    assertThat(follow.statusCode()).isEqualTo(404);
    assertThat(json(follow).getJsonObject("error").getString("param"))
        .isEqualTo("previous_response_id");
    assertThat(
            mock.count(
                Json.createObjectBuilder()
                    .add("method", "ANY")
                    .add("urlPathPattern", "/v1/responses.*")))
        .isZero();
    // the owner still can
    assertThat(
            http().send("GET", "v1/responses/" + id, TestCredentials.DEV_USER, null).statusCode())
        .isEqualTo(200);
  }

  // --- API keys ----------------------------------------------------------------------------------

  @Test
  void aKeyIsShownOnceStoredHashedActsAsItsOwnerAndCanBeRevoked() throws Exception {
    JsonObject created =
        createKey(
            Json.createObjectBuilder()
                .add("owner", "svc-reports")
                .add("tenant", "acme")
                .add("name", "reports"));
    String key = created.getString("key");
    String id = created.getString("id");
    assertThat(key).startsWith("wk_" + id + "_");

    JsonObject shown = json(http().send("GET", "api/keys/" + id, TestCredentials.DEV_ADMIN, null));
    assertThat(shown.toString()).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
    assertThat(shown.getString("hint")).isEqualTo("wk_" + id + "_…");
    assertThat(shown.getBoolean("active")).isTrue();
    assertThat(shown.getString("created_by")).isEqualTo("dev-admin");

    JsonObject me = json(http().send("GET", "api/me", "Bearer " + key, null));
    assertThat(me.getString("principal")).isEqualTo("svc-reports");
    assertThat(me.getString("tenant")).isEqualTo("acme");
    assertThat(me.getString("api_key_id")).isEqualTo(id);
    assertThat(me.getJsonArray("roles").getString(0)).isEqualTo("ai-user");
    assertThat(
            http()
                .send("POST", "v1/chat/completions", "Bearer " + key, chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(200);

    JsonObject usage =
        json(
            http()
                .send(
                    "GET",
                    "api/usage?group_by=principal,tenant,api_key&principal=svc-reports&api_key="
                        + id,
                    TestCredentials.DEV_AUDITOR,
                    null));
    JsonObject row = usage.getJsonArray("rows").getJsonObject(0);
    assertThat(row.getString("tenant")).isEqualTo("acme");
    assertThat(row.getString("api_key")).isEqualTo(id);

    JsonObject revoked =
        json(http().send("DELETE", "api/keys/" + id, TestCredentials.DEV_ADMIN, null));
    for (String operation : List.of("identity.key.create", "identity.key.revoke")) {
      JsonObject records =
          json(
              http()
                  .send(
                      "GET",
                      "api/audit?operation=" + operation + "&principal=dev-admin&limit=500",
                      TestCredentials.DEV_AUDITOR,
                      null));
      // newest first: this test's own action, naming its key
      String recordId = records.getJsonArray("data").getJsonObject(0).getString("record_id");
      JsonObject detail =
          json(http().send("GET", "api/audit/" + recordId, TestCredentials.DEV_AUDITOR, null));
      assertThat(detail.getJsonObject("content").getJsonObject("request").get("value").toString())
          .as(operation)
          .contains(id);
    }
    assertThat(revoked.getBoolean("active")).isFalse();
    assertThat(revoked.getString("revoked_by")).isEqualTo("dev-admin");
    HttpResponse<String> after =
        http().send("POST", "v1/chat/completions", "Bearer " + key, chat("gpt-4o-mini"));
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(json(after).getJsonObject("error").getString("code")).isEqualTo("invalid_api_key");
  }

  @Test
  void aKeyScopedToModelsIsRefusedOthersBeforeAnyUpstreamCall() throws Exception {
    String key =
        createKey(
                Json.createObjectBuilder()
                    .add("owner", "svc-scoped")
                    .add("models", Json.createArrayBuilder().add("gpt-4o-mini")))
            .getString("key");
    assertThat(
            http()
                .send("POST", "v1/chat/completions", "Bearer " + key, chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(200);
    mock.reset();
    HttpResponse<String> other =
        http().send("POST", "v1/chat/completions", "Bearer " + key, chat("gpt-4.1-nano"));
    assertThat(other.statusCode()).isEqualTo(403);
    JsonObject error = json(other).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("model_not_allowed");
    assertThat(error.getString("param")).isEqualTo("model");
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isZero();
  }

  @Test
  void aKeysOwnRateLimitApplies() throws Exception {
    String key =
        createKey(
                Json.createObjectBuilder()
                    .add("owner", "svc-limited")
                    .add("requests_per_minute", 1))
            .getString("key");
    assertThat(
            http()
                .send("POST", "v1/chat/completions", "Bearer " + key, chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> second =
        http().send("POST", "v1/chat/completions", "Bearer " + key, chat("gpt-4o-mini"));
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void aKeysOwnBudgetApplies() throws Exception {
    String key =
        createKey(
                Json.createObjectBuilder()
                    .add("owner", "svc-budgeted")
                    .add("daily_budget_usd", "0.0000001"))
            .getString("key");
    HttpResponse<String> r =
        http().send("POST", "v1/chat/completions", "Bearer " + key, chat("gpt-4o-mini"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    assertThat(json(r).getJsonObject("error").getString("code")).isEqualTo("budget_exceeded");
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isZero();
  }

  @Test
  void anExpiredKeyIsRefused() throws Exception {
    String key =
        createKey(
                Json.createObjectBuilder()
                    .add("owner", "svc-brief")
                    .add("expires_at", Instant.now().plusSeconds(2).toString()))
            .getString("key");
    assertThat(http().send("GET", "api/me", "Bearer " + key, null).statusCode()).isEqualTo(200);
    // refused once it has expired, though the server may have cached the key as valid
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(http().send("GET", "api/me", "Bearer " + key, null).statusCode())
                    .isEqualTo(401));
  }

  @Test
  void badKeyRequestsAreProblemJson() throws Exception {
    HttpResponse<String> noOwner =
        http()
            .send(
                "POST",
                "api/keys",
                TestCredentials.DEV_ADMIN,
                Json.createObjectBuilder().add("name", "x").build());
    assertThat(noOwner.statusCode()).isEqualTo(400);
    assertThat(json(noOwner).getString("detail")).contains("owner");
    HttpResponse<String> past =
        http()
            .send(
                "POST",
                "api/keys",
                TestCredentials.DEV_ADMIN,
                Json.createObjectBuilder()
                    .add("owner", "x")
                    .add("expires_at", "2001-01-01T00:00:00Z")
                    .build());
    assertThat(past.statusCode()).isEqualTo(400);
    HttpResponse<String> unknown =
        http()
            .send(
                "POST",
                "api/keys",
                TestCredentials.DEV_ADMIN,
                Json.createObjectBuilder().add("owner", "x").add("role", "admin").build());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(
            http()
                .send("GET", "api/keys/nosuchkey000", TestCredentials.DEV_ADMIN, null)
                .statusCode())
        .isEqualTo(404);
  }

  // --- JWT ---------------------------------------------------------------------------------------

  @Test
  void aValidJwtAuthenticatesWithItsGroupsAndTenant() throws Exception {
    String token = jwt(jwtKey, ISSUER, "alice@acme", List.of("ai-user"), "acme", 300);
    JsonObject me = json(http().send("GET", "api/me", "Bearer " + token, null));
    assertThat(me.getString("principal")).isEqualTo("alice@acme");
    assertThat(me.getString("tenant")).isEqualTo("acme");
    assertThat(me.getString("authenticated_by")).isEqualTo("jwt");
    assertThat(
            http()
                .send("POST", "v1/chat/completions", "Bearer " + token, chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(200);

    String auditor = jwt(jwtKey, ISSUER, "bob@acme", List.of("tenant-auditors"), "acme", 300);
    assertThat(
            http()
                .send("POST", "v1/chat/completions", "Bearer " + auditor, chat("gpt-4o-mini"))
                .statusCode())
        .isEqualTo(403);
    assertThat(http().send("GET", "api/usage", "Bearer " + auditor, null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aGroupGrantsARoleOnlyThroughTheConfiguredMapping() throws Exception {
    // "admin" is a group of the token, but no mapping names it: no role at all
    String unmapped = jwt(jwtKey, ISSUER, "eve@acme", List.of("admin", "auditor"), "acme", 300);
    for (String path : List.of("api/keys", "api/me", "api/audit", "api/usage")) {
      HttpResponse<String> r = http().send("GET", path, "Bearer " + unmapped, null);
      assertForbiddenProblem(r);
      assertThat(json(r).getString("code")).as(path).isEqualTo("no_role");
      assertThat(json(r).getString("detail")).contains("warden.identity.roles.");
    }
    HttpResponse<String> call =
        http().send("POST", "v1/chat/completions", "Bearer " + unmapped, chat("gpt-4o-mini"));
    assertThat(call.statusCode()).isEqualTo(403);
    assertThat(json(call).getJsonObject("error").getString("code")).isEqualTo("no_role");
    HttpResponse<String> create =
        http()
            .send(
                "POST",
                "api/keys",
                "Bearer " + unmapped,
                Json.createObjectBuilder().add("owner", "eve@acme").build());
    assertForbiddenProblem(create);

    // beside a mapped group, "admin" still grants nothing: an ai-user, refused key management
    String userOnly = jwt(jwtKey, ISSUER, "eve@acme", List.of("admin", "staff"), "acme", 300);
    JsonObject me = json(http().send("GET", "api/me", "Bearer " + userOnly, null));
    assertThat(me.getJsonArray("roles").getValuesAs(jakarta.json.JsonString.class))
        .extracting(jakarta.json.JsonString::getString)
        .containsExactly("ai-user");
    HttpResponse<String> keys = http().send("GET", "api/keys", "Bearer " + userOnly, null);
    assertForbiddenProblem(keys);
    assertThat(json(keys).getString("code")).isEqualTo("permission_denied");

    // the mapped group is an admin
    String admin = jwt(jwtKey, ISSUER, "root@acme", List.of("warden-admins"), "acme", 300);
    assertThat(http().send("GET", "api/keys", "Bearer " + admin, null).statusCode()).isEqualTo(200);
    JsonObject adminMe = json(http().send("GET", "api/me", "Bearer " + admin, null));
    assertThat(adminMe.getJsonArray("roles").getString(0)).isEqualTo("admin");
    assertThat(adminMe.getJsonArray("roles")).hasSize(1);
  }

  @Test
  void anAdminCreatesKeysForAnotherPrincipalOnlyWithKeyDelegate() throws Exception {
    String ops = "ops-" + java.util.UUID.randomUUID() + "@acme";
    String admin = jwt(jwtKey, ISSUER, ops, List.of("warden-admins"), "acme", 300);
    HttpResponse<String> refused =
        http()
            .send(
                "POST",
                "api/keys",
                "Bearer " + admin,
                Json.createObjectBuilder().add("owner", "dev-user").add("name", "x").build());
    assertForbiddenProblem(refused);
    assertThat(json(refused).getString("code")).isEqualTo("permission_denied");
    assertThat(json(refused).getString("detail")).contains("key-delegate");
    // nothing was created for dev-user by this admin
    assertThat(
            json(
                    http()
                        .send(
                            "GET",
                            "api/keys?owner=dev-user&limit=500",
                            TestCredentials.DEV_ADMIN,
                            null))
                .getJsonArray("data")
                .stream()
                .map(v -> v.asJsonObject().getString("created_by")))
        .doesNotContain(ops);

    // its own key: allowed without the delegate role
    HttpResponse<String> own =
        http()
            .send(
                "POST",
                "api/keys",
                "Bearer " + admin,
                Json.createObjectBuilder().add("owner", ops).add("name", "own").build());
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    assertThat(json(own).getString("owner")).isEqualTo(ops);

    // with key-delegate: a key owned by another principal, and the record names both
    String delegate =
        jwt(
            jwtKey,
            ISSUER,
            "keymaster@acme",
            List.of("warden-admins", "warden-key-delegates"),
            "acme",
            300);
    HttpResponse<String> created =
        http()
            .send(
                "POST",
                "api/keys",
                "Bearer " + delegate,
                Json.createObjectBuilder()
                    .add("owner", "svc-delegated")
                    .add("tenant", "acme")
                    .add("name", "delegated")
                    .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json(created).getString("id");
    assertThat(json(created).getString("owner")).isEqualTo("svc-delegated");
    assertThat(json(created).getString("created_by")).isEqualTo("keymaster@acme");

    JsonObject records =
        json(
            http()
                .send(
                    "GET",
                    "api/audit?operation=identity.key.create&principal=keymaster@acme&limit=500",
                    TestCredentials.DEV_AUDITOR,
                    null));
    JsonObject record = records.getJsonArray("data").getJsonObject(0);
    assertThat(record.getString("principal")).isEqualTo("keymaster@acme");
    JsonObject detail =
        json(
            http()
                .send(
                    "GET",
                    "api/audit/" + record.getString("record_id"),
                    TestCredentials.DEV_AUDITOR,
                    null));
    JsonObject details =
        detail.getJsonObject("content").getJsonObject("request").getJsonObject("value");
    assertThat(details.getString("key_id")).isEqualTo(id);
    assertThat(details.getString("owner")).isEqualTo("svc-delegated");
    assertThat(details.getString("created_by")).isEqualTo("keymaster@acme");
    assertThat(details.getBoolean("delegated")).isTrue();
    // key-delegate alone is no admin
    String delegateOnly =
        jwt(jwtKey, ISSUER, "nobody@acme", List.of("warden-key-delegates"), "acme", 300);
    assertForbiddenProblem(
        http()
            .send(
                "POST",
                "api/keys",
                "Bearer " + delegateOnly,
                Json.createObjectBuilder().add("owner", "dev-user").build()));
  }

  @Test
  void aJwtWithAWrongSignatureIssuerOrLifetimeIsRefused() throws Exception {
    for (String token :
        List.of(
            jwt(otherKey, ISSUER, "mallory", List.of("ai-user"), "acme", 300),
            jwt(jwtKey, "https://someone-else.example", "mallory", List.of("ai-user"), "acme", 300),
            jwt(jwtKey, ISSUER, "mallory", List.of("ai-user"), "acme", -600),
            "not.a.jwt")) {
      HttpResponse<String> r = http().send("GET", "api/me", "Bearer " + token, null);
      assertThat(r.statusCode()).as(token).isEqualTo(401);
      assertThat(json(r).getString("code")).isEqualTo("invalid_token");
    }
  }

  // --- helpers -----------------------------------------------------------------------------------

  private JsonObject createKey(jakarta.json.JsonObjectBuilder spec) throws Exception {
    HttpResponse<String> r =
        http().send("POST", "api/keys", TestCredentials.DEV_ADMIN, spec.build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  private static String jwt(
      PrivateKey key,
      String issuer,
      String upn,
      List<String> groups,
      String tenant,
      int lifetimeSeconds)
      throws Exception {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setAudience("warden");
    claims.setClaim("upn", upn);
    claims.setSubject(upn);
    claims.setStringListClaim("groups", groups);
    claims.setClaim("tenant", tenant);
    claims.setIssuedAtToNow();
    claims.setExpirationTimeMinutesInTheFuture(lifetimeSeconds / 60f);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    return jws.getCompactSerialization();
  }

  private static List<String> principals(JsonObject usage) {
    return usage.getJsonArray("rows").stream()
        .map(v -> v.asJsonObject().getString("principal"))
        .distinct()
        .collect(Collectors.toList());
  }

  private static void assertForbiddenProblem(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
  }

  private static JsonObject chat(String model) {
    return Json.createObjectBuilder()
        .add("model", model)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", "Say hello")))
        .build();
  }
}
