package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code /api} endpoints of the compliance console over HTTP, as the console calls them: a
 * record's metadata, its decrypted content read with a reason and the list of who read it and why;
 * with the same roles and tenant scoping as the rest of {@code /api/audit} (an admin or user is
 * refused, an {@code auditor} sees its own tenant only) and problem JSON for every refusal.
 */
class ConsoleApiIT extends WardenIntegrationTest {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  private static TestJwts jwts;

  @BeforeAll
  static void jwtKey() throws Exception {
    jwts = TestJwts.install();
  }

  private Instant start;

  @BeforeEach
  void start() {
    start = Instant.now().minusSeconds(2);
  }

  // --- a record: metadata, decrypt with a reason, its reads ------------------------------------

  @Test
  void anAuditorReadsARecordSayingWhyAndSeesWhoReadIt() throws Exception {
    String marker = "console-" + UUID.randomUUID();
    String id =
        recordOf(call(TestCredentials.DEV_USER, "question " + marker)).getString("record_id");

    // metadata: nothing decrypted, no read recorded
    HttpResponse<String> meta =
        http().get("api/audit/" + id + "/metadata", TestCredentials.DEV_AUDITOR);
    assertThat(meta.statusCode()).as(meta.body()).isEqualTo(200);
    assertThat(json(meta).getString("record_id")).isEqualTo(id);
    assertThat(json(meta).getString("principal")).isEqualTo("dev-user");
    assertThat(json(meta).containsKey("content")).isFalse();
    assertThat(meta.body()).doesNotContain(marker);
    assertThat(reads(id, TestCredentials.DEV_AUDITOR)).isEmpty();

    // decrypt with a reason: the content, and the read recorded with the reason
    HttpResponse<String> decrypted =
        http().post("api/audit/" + id + "/decrypt", TestCredentials.DEV_AUDITOR, reason("case 17"));
    assertThat(decrypted.statusCode()).as(decrypted.body()).isEqualTo(200);
    JsonObject content = json(decrypted).getJsonObject("content");
    assertThat(content.getJsonObject("request").getString("state")).isEqualTo("present");
    assertThat(content.getJsonObject("request").get("value").toString()).contains(marker);
    assertThat(json(decrypted).getString("record_id")).isEqualTo(id);

    // a plain detail read is listed too, without a reason; newest first
    assertThat(http().get("api/audit/" + id, TestCredentials.DEV_AUDITOR).statusCode())
        .isEqualTo(200);
    List<JsonObject> reads = reads(id, TestCredentials.DEV_AUDITOR);
    assertThat(reads).hasSize(2);
    assertThat(reads.get(0).get("reason")).isEqualTo(JsonValue.NULL);
    JsonObject withReason = reads.get(1);
    assertThat(withReason.getString("reason")).isEqualTo("case 17");
    assertThat(withReason.getString("reader")).isEqualTo("dev-auditor");
    assertThat(withReason.getString("reader_tenant")).isEqualTo("default");
    assertThat(Instant.parse(withReason.getString("at"))).isAfter(start);

    // the read's own record: operation audit.read, by the auditor; its reason is not in clear
    String readId = withReason.getString("read_record_id");
    JsonObject readRecord =
        json(http().get("api/audit/" + readId + "/metadata", TestCredentials.DEV_AUDITOR));
    assertThat(readRecord.getString("operation")).isEqualTo("audit.read");
    assertThat(readRecord.getString("principal")).isEqualTo("dev-auditor");
    assertThat(readRecord.toString()).doesNotContain("case 17");
    // reading the read record's detail shows the reason to an auditor
    JsonObject readDetail = json(http().get("api/audit/" + readId, TestCredentials.DEV_AUDITOR));
    assertThat(readDetail.getJsonObject("content").getJsonObject("request").get("value").toString())
        .contains("case 17")
        .contains(id);
  }

  @Test
  void aDecryptWithoutAValidReasonIsRefusedAndReadsNothing() throws Exception {
    String id = recordOf(call(TestCredentials.DEV_USER, "no reason")).getString("record_id");
    String path = "api/audit/" + id + "/decrypt";
    String auditor = TestCredentials.DEV_AUDITOR;

    assertProblem(
        http().post(path, auditor, Json.createObjectBuilder().build()),
        400,
        "invalid_parameter",
        "reason");
    assertProblem(http().post(path, auditor, reason("   ")), 400, "invalid_parameter", "reason");
    assertProblem(
        http().post(path, auditor, reason("x".repeat(1001))), 400, "invalid_parameter", "1000");
    assertProblem(
        http().post(path, auditor, Json.createObjectBuilder().add("reason", 7).build()),
        400,
        "invalid_parameter",
        "reason");
    assertProblem(
        http()
            .post(
                path,
                auditor,
                Json.createObjectBuilder().add("reason", "ok").add("why", "x").build()),
        400,
        "invalid_parameter",
        "why");
    assertProblem(http().postJson(path, auditor, ""), 400, null, null);
    assertThat(reads(id, auditor)).isEmpty();
    assertThat(http().post(path, auditor, reason("x".repeat(1000))).statusCode()).isEqualTo(200);
    assertThat(reads(id, auditor)).hasSize(1);
  }

  @Test
  void onlyAnAuditorOfTheRecordsTenantReadsIt() throws Exception {
    String id = recordOf(call(TestCredentials.DEV_USER, "matrix")).getString("record_id");
    for (String who : List.of(TestCredentials.DEV_ADMIN, TestCredentials.DEV_USER)) {
      assertProblem(http().post("api/audit/" + id + "/decrypt", who, reason("r")), 403, null, null);
      assertProblem(http().get("api/audit/" + id + "/metadata", who), 403, null, null);
      assertProblem(http().get("api/audit/" + id + "/reads", who), 403, null, null);
    }
    assertThat(http().get("api/audit/" + id + "/metadata", null).statusCode()).isEqualTo(401);

    String unknown = UUID.randomUUID().toString();
    String auditor = TestCredentials.DEV_AUDITOR;
    assertProblem(
        http().post("api/audit/" + unknown + "/decrypt", auditor, reason("r")),
        404,
        "not_found",
        unknown);
    assertProblem(
        http().get("api/audit/" + unknown + "/metadata", auditor), 404, "not_found", unknown);
    assertProblem(
        http().get("api/audit/" + unknown + "/reads", auditor), 404, "not_found", unknown);

    // a tenant auditor: another tenant's record does not exist for it
    String acmeAuditor = jwts.bearer("audrey@acme", "acme", "tenant-auditors");
    assertProblem(
        http().post("api/audit/" + id + "/decrypt", acmeAuditor, reason("r")),
        404,
        "not_found",
        id);
    assertProblem(http().get("api/audit/" + id + "/metadata", acmeAuditor), 404, "not_found", id);
    assertProblem(http().get("api/audit/" + id + "/reads", acmeAuditor), 404, "not_found", id);
    assertThat(reads(id, auditor)).isEmpty();

    String acme =
        recordOf(call(jwts.bearer("ann@acme", "acme", "staff"), "acme")).getString("record_id");
    assertThat(
            http()
                .post("api/audit/" + acme + "/decrypt", acmeAuditor, reason("acme case"))
                .statusCode())
        .isEqualTo(200);
    List<JsonObject> acmeReads = reads(acme, acmeAuditor);
    assertThat(acmeReads)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getString("reader")).isEqualTo("audrey@acme");
              assertThat(r.getString("reader_tenant")).isEqualTo("acme");
              assertThat(r.getString("reason")).isEqualTo("acme case");
            });
    assertProblem(
        http().get("api/audit/" + acme + "/reads?limit=0", acmeAuditor),
        400,
        "invalid_parameter",
        "limit");
  }

  // --- background verification ----------------------------------------------------------------

  @Test
  void aBackgroundVerificationRunsAndIsPolledToItsResult() throws Exception {
    call(TestCredentials.DEV_USER, "to verify");
    String auditor = TestCredentials.DEV_AUDITOR;

    HttpResponse<String> started = http().post("api/audit/verifications", auditor, null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    JsonObject v = json(started);
    String id = v.getString("id");
    assertThat(v.getString("state")).isEqualTo("running");
    assertThat(v.getJsonNumber("records_checked").longValue()).isZero();
    assertThat(v.getJsonNumber("records_total").longValue()).isPositive();
    assertThat(Instant.parse(v.getString("started_at"))).isAfter(start);
    assertThat(v.get("finished_at")).isEqualTo(JsonValue.NULL);
    assertThat(v.containsKey("result")).isFalse();
    String location = started.headers().firstValue("Location").orElseThrow();
    assertThat(location).endsWith("/api/audit/verifications/" + id);

    JsonObject done =
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> json(http().get("api/audit/verifications/" + id, auditor)),
                p -> !"running".equals(p.getString("state")));
    assertThat(done.getString("state")).as(done.toString()).isEqualTo("done");
    assertThat(done.getString("requested_by")).isEqualTo("dev-auditor");
    assertThat(Instant.parse(done.getString("finished_at")))
        .isAfterOrEqualTo(Instant.parse(done.getString("started_at")));
    JsonObject result = done.getJsonObject("result");
    JsonObject sync = json(http().send("POST", "api/audit/verify", auditor, null));
    assertThat(result.keySet()).isEqualTo(sync.keySet());
    assertThat(result.getBoolean("ok")).isTrue();
    assertThat(result.get("first_break")).isEqualTo(JsonValue.NULL);
    assertThat(result.getJsonNumber("records_checked").longValue())
        .isEqualTo(done.getJsonNumber("records_checked").longValue())
        .isGreaterThanOrEqualTo(v.getJsonNumber("records_total").longValue());

    // a tenant auditor polls it too; the refusals are problem JSON
    String acmeAuditor = jwts.bearer("audrey@acme", "acme", "tenant-auditors");
    assertThat(http().get("api/audit/verifications/" + id, acmeAuditor).statusCode())
        .isEqualTo(200);
    assertProblem(
        http().get("api/audit/verifications/" + UUID.randomUUID(), auditor),
        404,
        "not_found",
        "verification");
    for (String who : List.of(TestCredentials.DEV_ADMIN, TestCredentials.DEV_USER)) {
      assertProblem(http().post("api/audit/verifications", who, null), 403, null, null);
      assertProblem(http().get("api/audit/verifications/" + id, who), 403, null, null);
    }
  }

  // --- checkpoints, legal holds, retention ---------------------------------------------------

  @Test
  void checkpointsListTheHeadAsVerifyingSeesIt() throws Exception {
    String auditor = TestCredentials.DEV_AUDITOR;
    call(TestCredentials.DEV_USER, "head");
    json(http().send("POST", "api/audit/verify", auditor, null));

    // a round of checkpoints has one per chain: enough of them to hold the newest round
    HttpResponse<String> r = http().get("api/audit/checkpoints?limit=50", auditor);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject page = json(r);
    Map<Integer, Long> heads = new java.util.HashMap<>();
    for (JsonObject each : page.getJsonArray("heads").getValuesAs(JsonObject.class)) {
      heads.put(each.getInt("chain"), each.getJsonNumber("sequence").longValue());
    }
    assertThat(heads).containsKey(1);
    JsonObject h = page.getJsonObject("head");
    long head = h.getJsonNumber("sequence").longValue();
    assertThat(heads.get(h.getInt("chain"))).isEqualTo(head);
    String headRecord = h.getString("record_id");
    JsonObject meta = json(http().get("api/audit/" + headRecord + "/metadata", auditor));
    assertThat(meta.getJsonNumber("seq").longValue()).isEqualTo(head);
    assertThat(meta.getInt("chain")).isEqualTo(h.getInt("chain"));
    assertThat(h.getString("created_at")).isEqualTo(meta.getString("created_at"));
    List<JsonObject> data = page.getJsonArray("data").getValuesAs(JsonObject.class);
    assertThat(data).hasSizeLessThanOrEqualTo(50);
    for (JsonObject c : data) {
      assertThat(c.getString("seal")).isIn("ed25519", "hmac");
      assertThat(c.getString("hash")).matches("[0-9a-f]{64}");
      assertThat(c.getJsonNumber("sequence").longValue())
          .isLessThanOrEqualTo(heads.get(c.getInt("chain")));
    }
    boolean signed =
        data.stream()
            .anyMatch(
                c ->
                    c.getInt("chain") == h.getInt("chain")
                        && c.getJsonNumber("sequence").longValue() == head);
    if (signed) {
      assertThat(h.getJsonNumber("signed_by_checkpoint").longValue()).isEqualTo(head);
    } else {
      assertThat(h.get("signed_by_checkpoint")).isEqualTo(JsonValue.NULL);
    }
    // the head is a dev-user record of tenant default: an acme auditor does not see its id
    String acmeAuditor = jwts.bearer("audrey@acme", "acme", "tenant-auditors");
    JsonObject acme = json(http().get("api/audit/checkpoints", acmeAuditor));
    assertThat(acme.getJsonObject("head").get("record_id")).isEqualTo(JsonValue.NULL);
    assertProblem(
        http().get("api/audit/checkpoints?offset=-1", auditor), 400, "invalid_parameter", "offset");
    assertProblem(http().get("api/audit/checkpoints", TestCredentials.DEV_ADMIN), 403, null, null);
  }

  @Test
  void aTenantAuditorPlacesAndLiftsAHoldAndBothAreRecorded() throws Exception {
    String acmeAuditor = jwts.bearer("audrey@acme", "acme", "tenant-auditors");
    String globexAuditor = jwts.bearer("gina@globex", "globex", "tenant-auditors");
    String subject = "subject-" + UUID.randomUUID();
    JsonObject body =
        Json.createObjectBuilder()
            .add("scope", "subject")
            .add("subject", subject)
            .add("reason", "case 2026-117")
            .build();

    HttpResponse<String> placed = http().post("api/audit/holds", acmeAuditor, body);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    JsonObject hold = json(placed);
    String id = hold.getString("id");
    assertThat(placed.headers().firstValue("Location").orElseThrow())
        .endsWith("/api/audit/holds/" + id);
    assertThat(hold.getString("scope")).isEqualTo("subject");
    assertThat(hold.getString("tenant")).isEqualTo("acme");
    assertThat(hold.getString("data_subject")).isNotBlank().doesNotContain(subject);
    assertThat(hold.getString("reason")).isEqualTo("case 2026-117");
    assertThat(hold.getString("placed_by")).isEqualTo("audrey@acme");
    assertThat(hold.getBoolean("active")).isTrue();
    assertThat(hold.get("lifted_at")).isEqualTo(JsonValue.NULL);
    JsonObject placeRecord =
        json(
            http()
                .get("api/audit/" + hold.getString("audit_record_id") + "/metadata", acmeAuditor));
    assertThat(placeRecord.getString("operation")).isEqualTo("audit.hold.place");
    assertThat(placeRecord.getString("principal")).isEqualTo("audrey@acme");
    assertThat(placeRecord.getString("entry_point")).isEqualTo("API");
    assertThat(placeRecord.toString()).doesNotContain("case 2026-117");

    // listed for its tenant, not for another; retention counts it
    assertThat(holdIds(http().get("api/audit/holds", acmeAuditor))).contains(id);
    assertThat(holdIds(http().get("api/audit/holds?active=true", acmeAuditor))).contains(id);
    assertThat(holdIds(http().get("api/audit/holds", globexAuditor))).doesNotContain(id);
    assertThat(holdIds(http().get("api/audit/holds?tenant=acme", TestCredentials.DEV_AUDITOR)))
        .contains(id);
    assertThat(holdIds(http().get("api/audit/holds?tenant=globex", TestCredentials.DEV_AUDITOR)))
        .doesNotContain(id);
    assertProblem(
        http().get("api/audit/holds?tenant=acme", globexAuditor),
        403,
        "permission_denied",
        "globex");
    assertProblem(
        http().get("api/audit/holds?active=maybe", acmeAuditor),
        400,
        "invalid_parameter",
        "active");
    JsonObject retention = json(http().get("api/audit/retention", acmeAuditor));
    assertThat(retention.getJsonNumber("active_holds").longValue()).isPositive();

    // lifting: a reason is required; another tenant's hold does not exist for an auditor
    assertProblem(
        http().send("DELETE", "api/audit/holds/" + id, acmeAuditor, null),
        400,
        "invalid_parameter",
        "reason");
    assertProblem(
        http().send("DELETE", "api/audit/holds/" + id + "?reason=x", globexAuditor, null),
        404,
        "not_found",
        id);
    assertProblem(
        http()
            .send(
                "DELETE", "api/audit/holds/" + UUID.randomUUID() + "?reason=x", acmeAuditor, null),
        404,
        "not_found",
        null);
    HttpResponse<String> lifted =
        http().send("DELETE", "api/audit/holds/" + id + "?reason=case%20closed", acmeAuditor, null);
    assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
    JsonObject l = json(lifted);
    assertThat(l.getBoolean("active")).isFalse();
    assertThat(l.getString("lifted_by")).isEqualTo("audrey@acme");
    assertThat(l.getString("lift_reason")).isEqualTo("case closed");
    JsonObject liftRecord =
        json(http().get("api/audit/" + l.getString("audit_record_id") + "/metadata", acmeAuditor));
    assertThat(liftRecord.getString("operation")).isEqualTo("audit.hold.lift");
    assertProblem(
        http().send("DELETE", "api/audit/holds/" + id + "?reason=again", acmeAuditor, null),
        409,
        "hold_already_lifted",
        id);
    assertThat(holdIds(http().get("api/audit/holds?active=true", acmeAuditor))).doesNotContain(id);
    assertThat(holdIds(http().get("api/audit/holds?active=false", acmeAuditor))).contains(id);
  }

  @Test
  void aHoldIsRefusedWhenItsBodyIsWrong() throws Exception {
    String acmeAuditor = jwts.bearer("audrey@acme", "acme", "tenant-auditors");
    String auditor = TestCredentials.DEV_AUDITOR;
    assertProblem(
        http().post("api/audit/holds", auditor, hold("tenant", null, null, null)),
        400,
        "invalid_parameter",
        "reason");
    assertProblem(
        http().post("api/audit/holds", auditor, hold("everything", null, null, "r")),
        400,
        "invalid_parameter",
        "scope");
    assertProblem(
        http().post("api/audit/holds", auditor, hold("subject", null, null, "r")),
        400,
        "invalid_parameter",
        "subject");
    assertProblem(
        http().post("api/audit/holds", auditor, hold("tenant", null, "s", "r")),
        400,
        "invalid_parameter",
        "subject");
    assertProblem(
        http().post("api/audit/holds", auditor, hold("tenant", null, null, "x".repeat(1001))),
        400,
        "invalid_parameter",
        "1000");
    assertProblem(
        http().post("api/audit/holds", acmeAuditor, hold("tenant", "globex", null, "r")),
        403,
        "permission_denied",
        "acme");
    for (String who : List.of(TestCredentials.DEV_ADMIN, TestCredentials.DEV_USER)) {
      assertProblem(
          http().post("api/audit/holds", who, hold("tenant", null, null, "r")), 403, null, null);
      assertProblem(http().get("api/audit/holds", who), 403, null, null);
      assertProblem(
          http().send("DELETE", "api/audit/holds/x?reason=r", who, null), 403, null, null);
      assertProblem(http().get("api/audit/retention", who), 403, null, null);
    }

    // an all-tenant auditor holds any tenant; the reason may come as a JSON body
    String tenant = "hold-" + UUID.randomUUID();
    HttpResponse<String> placed =
        http().post("api/audit/holds", auditor, hold("tenant", tenant, null, "audit 9"));
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    JsonObject h = json(placed);
    assertThat(h.getString("tenant")).isEqualTo(tenant);
    assertThat(h.get("data_subject")).isEqualTo(JsonValue.NULL);
    HttpResponse<String> lifted =
        http()
            .send("DELETE", "api/audit/holds/" + h.getString("id"), auditor, reason("audit over"));
    assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
    assertThat(json(lifted).getString("lift_reason")).isEqualTo("audit over");
  }

  @Test
  void retentionSaysHowLongRecordsAreKeptAndWhenThePurgeRuns() throws Exception {
    JsonObject r = json(http().get("api/audit/retention", TestCredentials.DEV_AUDITOR));
    assertThat(r.getString("retention"))
        .isEqualTo(r.getString("default_retention"))
        .startsWith("P");
    assertThat(r.getJsonObject("tenant_retention")).isNotNull();
    assertThat(r.keySet())
        .contains("purge_interval", "next_purge_at", "last_purge_at", "active_holds");
    if (r.get("purge_interval") != JsonValue.NULL) {
      assertThat(Instant.parse(r.getString("next_purge_at"))).isAfter(start.minusSeconds(60));
    }
  }

  // --- search filters ---------------------------------------------------------------------------

  @Test
  void theSearchFiltersByPiiTypeAndGuardActionAndSortsEitherWay() throws Exception {
    String auditor = TestCredentials.DEV_AUDITOR;
    String withEmail =
        recordOf(call(TestCredentials.DEV_USER, "mail bob@example.com please"))
            .getString("record_id");
    JsonObject plain = recordOf(call(TestCredentials.DEV_USER, "nothing personal"));
    String since = "&from=" + start;

    List<JsonObject> emails = search("pii_type=email" + since, auditor);
    assertThat(emails)
        .extracting(r -> r.getString("record_id"))
        .contains(withEmail)
        .doesNotContain(plain.getString("record_id"));
    assertThat(emails)
        .allSatisfy(r -> assertThat(r.getString("pii_found")).containsPattern("(^|,)EMAIL="));
    assertThat(search("pii_type=IBAN" + since, auditor))
        .extracting(r -> r.getString("record_id"))
        .doesNotContain(withEmail);

    if (plain.get("guard_action") instanceof jakarta.json.JsonString action) {
      assertThat(search("guard_action=" + action.getString().toLowerCase() + since, auditor))
          .extracting(r -> r.getString("record_id"))
          .contains(plain.getString("record_id"));
    }
    for (String action : List.of("ALLOW", "FLAG", "BLOCK")) {
      assertThat(search("guard_action=" + action + since, auditor))
          .allSatisfy(r -> assertThat(r.getString("guard_action")).isEqualTo(action));
    }

    List<JsonObject> newest = search("principal=dev-user" + since, auditor);
    List<JsonObject> oldest = search("principal=dev-user&sort=time_asc" + since, auditor);
    assertThat(newest).hasSizeGreaterThanOrEqualTo(2);
    List<String> reversed =
        new java.util.ArrayList<>(newest.stream().map(r -> r.getString("record_id")).toList());
    java.util.Collections.reverse(reversed);
    assertThat(oldest)
        .extracting(r -> r.getString("record_id"))
        .containsExactlyElementsOf(reversed);
    assertThat(search("principal=dev-user&sort=time_desc" + since, auditor))
        .extracting(r -> r.getString("record_id"))
        .containsExactlyElementsOf(newest.stream().map(r -> r.getString("record_id")).toList());

    assertProblem(
        http().get("api/audit?guard_action=DENY", auditor),
        400,
        "invalid_parameter",
        "guard_action");
    assertProblem(
        http()
            .get(
                "api/audit?pii_type=" + URLEncoder.encode("EMAIL%", StandardCharsets.UTF_8),
                auditor),
        400,
        "invalid_parameter",
        "pii_type");
    assertProblem(http().get("api/audit?sort=size", auditor), 400, "invalid_parameter", "sort");
  }

  // --- usage: refusals and latency ----------------------------------------------------------

  @Test
  void refusalsAndLatencyAreReportedPerDayAndModelForTheAuditorsTenant() throws Exception {
    String auditor = TestCredentials.DEV_AUDITOR;
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    long before = refusals("from=" + today, auditor, "pii");
    String key = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3i";
    HttpResponse<String> refused =
        http()
            .post(
                CHAT,
                TestCredentials.DEV_USER,
                Json.createObjectBuilder()
                    .add("model", "gpt-4o-mini")
                    .add(
                        "messages",
                        Json.createArrayBuilder()
                            .add(
                                Json.createObjectBuilder()
                                    .add("role", "user")
                                    .add("content", "use " + key)))
                    .build());
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    call(TestCredentials.DEV_USER, "timed");

    JsonObject r = json(http().get("api/usage/refusals?from=" + today, auditor));
    assertThat(r.getString("from")).isEqualTo(today);
    assertThat(r.getString("to")).isEqualTo(today);
    assertThat(refusals("from=" + today, auditor, "pii")).isEqualTo(before + 1);
    assertThat(r.getJsonArray("data").getValuesAs(JsonObject.class))
        .allSatisfy(
            row -> {
              assertThat(row.getString("day")).isEqualTo(today);
              assertThat(row.getString("kind"))
                  .isIn("budget", "rate_limit", "pii", "guard", "other");
              assertThat(row.getJsonNumber("count").longValue()).isPositive();
            });
    // a tenant auditor sees its own tenant's refusals only
    String acmeAuditor = jwts.bearer("audrey@acme", "acme", "tenant-auditors");
    assertThat(refusals("from=" + today, acmeAuditor, "pii")).isZero();
    assertProblem(
        http().get("api/usage/refusals?tenant=default", acmeAuditor),
        403,
        "permission_denied",
        "acme");
    assertThat(refusals("from=" + today + "&tenant=default", auditor, "pii")).isEqualTo(before + 1);

    JsonObject latency = json(http().get("api/usage/latency?from=" + today, auditor));
    JsonObject mini =
        latency.getJsonArray("data").getValuesAs(JsonObject.class).stream()
            .filter(m -> m.getString("model").startsWith("gpt-4o-mini"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(latency.toString()));
    assertThat(mini.getJsonNumber("count").longValue()).isPositive();
    long p50 = mini.getJsonNumber("p50_ms").longValue();
    long p95 = mini.getJsonNumber("p95_ms").longValue();
    long p99 = mini.getJsonNumber("p99_ms").longValue();
    assertThat(p50).isNotNegative().isLessThanOrEqualTo(p95);
    assertThat(p95).isLessThanOrEqualTo(p99);
    // a tenant auditor: its tenant's calls only, as an all-tenant auditor sees them with tenant=
    JsonObject acmeLatency = json(http().get("api/usage/latency?from=" + today, acmeAuditor));
    assertThat(acmeLatency)
        .isEqualTo(json(http().get("api/usage/latency?from=" + today + "&tenant=acme", auditor)));
    assertThat(
            acmeLatency.getJsonArray("data").getValuesAs(JsonObject.class).stream()
                .mapToLong(m -> m.getJsonNumber("count").longValue())
                .sum())
        .isLessThan(
            latency.getJsonArray("data").getValuesAs(JsonObject.class).stream()
                .mapToLong(m -> m.getJsonNumber("count").longValue())
                .sum());

    for (String path : List.of("api/usage/refusals", "api/usage/latency")) {
      assertProblem(
          http().get(path + "?from=yesterday", auditor), 400, "invalid_parameter", "from");
      assertProblem(
          http().get(path + "?from=2026-02-01&to=2026-01-01", auditor),
          400,
          "invalid_parameter",
          "from");
      assertProblem(
          http().get(path + "?from=2024-01-01&to=2026-01-01", auditor),
          400,
          "invalid_parameter",
          "366");
      // an admin administers every tenant's keys and budgets: it reads every tenant's reports
      HttpResponse<String> admin = http().get(path, TestCredentials.DEV_ADMIN);
      assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
      assertProblem(http().get(path, TestCredentials.DEV_USER), 403, null, null);
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private List<JsonObject> search(String query, String who) throws Exception {
    HttpResponse<String> r = http().get("api/audit?limit=500&" + encode(query), who);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).getJsonArray("data").getValuesAs(JsonObject.class);
  }

  /** The refusals of one kind in a report. */
  private long refusals(String query, String who, String kind) throws Exception {
    HttpResponse<String> r = http().get("api/usage/refusals?" + query, who);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).getJsonArray("data").getValuesAs(JsonObject.class).stream()
        .filter(row -> row.getString("kind").equals(kind))
        .mapToLong(row -> row.getJsonNumber("count").longValue())
        .sum();
  }

  private List<JsonObject> reads(String id, String who) throws Exception {
    HttpResponse<String> r = http().get("api/audit/" + id + "/reads", who);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).getJsonArray("data").getValuesAs(JsonObject.class);
  }

  private static List<String> holdIds(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).getJsonArray("data").getValuesAs(JsonObject.class).stream()
        .map(h -> h.getString("id"))
        .toList();
  }

  private static JsonObject hold(String scope, String tenant, String subject, String reason) {
    var b = Json.createObjectBuilder().add("scope", scope);
    if (tenant != null) {
      b.add("tenant", tenant);
    }
    if (subject != null) {
      b.add("subject", subject);
    }
    if (reason != null) {
      b.add("reason", reason);
    }
    return b.build();
  }

  private static JsonObject reason(String reason) {
    return Json.createObjectBuilder().add("reason", reason).build();
  }

  private static void assertProblem(
      HttpResponse<String> r, int status, String code, String detail) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonObject problem = json(r);
    assertThat(problem.getInt("status")).isEqualTo(status);
    if (code != null) {
      assertThat(problem.getString("code")).isEqualTo(code);
    }
    if (detail != null) {
      assertThat(problem.getString("detail")).contains(detail);
    }
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private HttpResponse<String> call(String authorization, String text) throws Exception {
    HttpResponse<String> r = http().post(CHAT, authorization, chatBody("gpt-4o-mini", text));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  /** The audit record of a /v1 call, found by its request id. */
  private JsonObject recordOf(HttpResponse<String> call) throws Exception {
    String q =
        "request_id=" + call.headers().firstValue("x-request-id").orElseThrow() + "&from=" + start;
    HttpResponse<String> r = http().get("api/audit?" + encode(q), TestCredentials.DEV_AUDITOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).getJsonArray("data")).hasSize(1);
    return json(r).getJsonArray("data").getJsonObject(0);
  }

  /** Instants carry ':' and '+', which a query string must escape. */
  static String encode(String q) {
    return q.replace(":", URLEncoder.encode(":", StandardCharsets.UTF_8))
        .replace("+", URLEncoder.encode("+", StandardCharsets.UTF_8));
  }
}
