package dev.warden.it;

import static dev.warden.it.WardenHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.log.ExportVerifier;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/audit} over HTTP, as an auditor meets it: the authorization matrix (only the auditor
 * roles read the audit; an admin or user cannot; an auditor cannot call a model; an {@code auditor}
 * reads its own tenant only, an {@code auditor-all-tenants} every tenant), search by metadata with
 * filters and pagination, a record's decrypted detail (redacted text stays redacted), chain
 * verification, and a decrypted export verified offline by the command auditors run. Every read of
 * audit content leaves a record naming the reader. And: after calls through {@code /v1}, the record
 * carries the caller and every field.
 */
class AuditApiIT extends WardenIntegrationTest {

  static final String DEV_USER_2 = TestCredentials.basic("dev-user-2", "dev-user-2");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.warden();
  }

  @TempDir Path tmp;

  private static TestJwts jwts;

  @BeforeAll
  static void jwtKey() throws Exception {
    jwts = TestJwts.install();
  }

  private Instant start;

  @BeforeEach
  @AfterEach
  void start() {
    start = Instant.now().minusSeconds(2);
  }

  // --- the matrix --------------------------------------------------------------------------------

  @Test
  void onlyAnAuditorReadsTheAudit() throws Exception {
    String id =
        recordOf(call(TestCredentials.DEV_USER, "gpt-4o-mini", "matrix")).getString("record_id");
    for (String who : List.of(TestCredentials.DEV_USER, TestCredentials.DEV_ADMIN)) {
      assertForbidden(http().get("api/audit", who));
      assertForbidden(http().get("api/audit/" + id, who));
      assertForbidden(http().send("POST", "api/audit/verify", who, null));
      assertForbidden(http().get("api/audit/export", who));
      assertForbidden(http().get("api/audit/public-key", who));
    }
    assertThat(http().get("api/audit/" + id, null).statusCode()).isEqualTo(401);
    assertThat(http().get("api/audit/" + id, TestCredentials.DEV_AUDITOR).statusCode())
        .isEqualTo(200);

    mock.reset();
    HttpResponse<String> model =
        http().post(CHAT, TestCredentials.DEV_AUDITOR, chatBody("gpt-4o-mini", "x"));
    assertThat(model.statusCode()).isEqualTo(403);
    assertThat(mock.count(MockAdmin.request("POST", "/v1/chat/completions"))).isZero();
  }

  @Test
  void aTenantAuditorReadsOnlyItsTenantAnAllTenantAuditorReadsEvery() throws Exception {
    String acmeUser = jwts.bearer("ann@acme", "acme", "staff");
    String globexUser = jwts.bearer("gus@globex", "globex", "staff");
    String acmeAuditor = jwts.bearer("audrey@acme", "acme", "tenant-auditors");
    String allAuditor = jwts.bearer("carl@compliance", "acme", "compliance");
    String marker = "tenant-" + UUID.randomUUID();
    HttpResponse<String> acmeCall = call(acmeUser, "gpt-4o-mini", "acme " + marker);
    HttpResponse<String> globexCall = call(globexUser, "gpt-4o-mini", "globex " + marker);
    String acme = recordOf(acmeCall).getString("record_id");
    String globex = recordOf(globexCall).getString("record_id");
    String since = encodeColons("&from=" + start);

    // search: the tenant is part of the query
    JsonObject seen = json(http().get("api/audit?limit=500" + since, acmeAuditor));
    assertThat(recordIds(seen)).contains(acme).doesNotContain(globex);
    assertThat(field(seen, "tenant")).containsOnly("acme");
    JsonObject byRequest =
        json(http().get("api/audit?request_id=" + requestId(globexCall) + since, acmeAuditor));
    assertThat(byRequest.getJsonArray("data")).isEmpty();
    HttpResponse<String> otherTenant = http().get("api/audit?tenant=globex" + since, acmeAuditor);
    assertForbidden(otherTenant);
    assertThat(json(otherTenant).getString("detail")).contains("acme");

    // detail: another tenant's record does not exist for it
    assertThat(http().get("api/audit/" + acme, acmeAuditor).statusCode()).isEqualTo(200);
    HttpResponse<String> hidden = http().get("api/audit/" + globex, acmeAuditor);
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(hidden.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(hidden.body()).doesNotContain(marker);

    // export: its tenant's records only, verifiable offline as a tenant export
    Path dir = export(acmeAuditor, "acme-export");
    String records = Files.readString(dir.resolve("records.jsonl"));
    assertThat(records).contains(acme).contains("acme " + marker);
    assertThat(records).doesNotContain(globex).doesNotContain("globex " + marker);
    assertThat(records.lines()).allSatisfy(l -> assertThat(l).contains("\"tenant\":\"acme\""));
    String manifest = Files.readString(dir.resolve("manifest.json"));
    assertThat(manifest).contains("\"tenant\":\"acme\"");
    assertThat(verifyExport(dir)).startsWith("OK: ").contains("records of tenant acme");
    // the tenant is signed: a tenant export cannot drop it (its chain has gaps), nor can a full
    // export claim one to skip the links between records
    Files.writeString(
        dir.resolve("manifest.json"),
        manifest.replace("\"tenant\":\"acme\"", "\"tenant\":\"globex\""));
    assertThat(verifyExport(dir)).startsWith("BROKEN: ").contains("tenant seal");
    Files.writeString(dir.resolve("manifest.json"), manifest.replace("\"tenant\":\"acme\",", ""));
    assertThat(verifyExport(dir)).startsWith("BROKEN: ");

    // usage: its tenant's rows only, enforced in the ledger's query
    JsonObject usage = json(http().get("api/usage?group_by=tenant,principal", acmeAuditor));
    assertThat(field(usage, "rows", "tenant")).containsOnly("acme");
    assertThat(field(usage, "rows", "principal")).contains("ann@acme").doesNotContain("gus@globex");
    assertForbidden(http().get("api/usage?tenant=globex", acmeAuditor));

    // verification of the shared chain: allowed
    JsonObject v = json(http().send("POST", "api/audit/verify", acmeAuditor, null));
    assertThat(v.getBoolean("ok")).as(v.toString()).isTrue();

    // the all-tenant auditor sees both, wherever its own tenant is
    JsonObject all = json(http().get("api/audit?limit=500" + since, allAuditor));
    assertThat(recordIds(all)).contains(acme, globex);
    assertThat(http().get("api/audit/" + globex, allAuditor).statusCode()).isEqualTo(200);
    assertThat(json(http().get("api/audit?tenant=globex" + since, allAuditor)).getJsonArray("data"))
        .isNotEmpty();
    Path full = export(allAuditor, "full-export");
    assertThat(Files.readString(full.resolve("records.jsonl"))).contains(acme, globex);
    assertThat(Files.readString(full.resolve("manifest.json"))).doesNotContain("\"tenant\"");
    assertThat(verifyExport(full)).startsWith("OK: ");
    JsonObject allUsage = json(http().get("api/usage?group_by=tenant", allAuditor));
    assertThat(field(allUsage, "rows", "tenant")).contains("acme", "globex");
  }

  // --- /v1 calls are recorded with their caller and every field ---------------------------------

  @Test
  void aV1CallsRecordNamesItsCallerAndHoldsEveryField() throws Exception {
    HttpResponse<String> byPassword = call(TestCredentials.DEV_USER, "gpt-4o-mini", "fields");
    HttpResponse<String> byKey = call(TestCredentials.DEV_USER_BEARER, "gpt-4o-mini", "by key");

    JsonObject r = recordOf(byPassword);
    assertThat(r.getString("principal")).isEqualTo("dev-user");
    assertThat(r.getString("tenant")).isEqualTo("default");
    assertThat(r.getString("entry_point")).isEqualTo("V1");
    assertThat(r.getString("operation")).isEqualTo("chat.completions");
    assertThat(r.getString("requested_model")).isEqualTo("gpt-4o-mini");
    assertThat(r.getString("answered_by")).isNotBlank();
    assertThat(r.getString("outcome")).isEqualTo("SUCCEEDED");
    assertThat(r.getInt("attempts")).isEqualTo(1);
    assertThat(r.getJsonNumber("tokens_input").longValue()).isPositive();
    assertThat(r.getJsonNumber("tokens_output").longValue()).isPositive();
    assertThat(r.getJsonNumber("latency_ms").longValue()).isNotNegative();
    assertThat(r.getString("cost")).isNotBlank();
    assertThat(r.getString("created_at")).isNotBlank();
    assertThat(r.getString("hash")).hasSize(64);
    assertThat(r.getJsonObject("encrypted_fields").getBoolean("request")).isTrue();
    assertThat(r.getJsonObject("encrypted_fields").getBoolean("answer")).isTrue();
    assertThat(r.keySet()).doesNotContain("request_enc", "answer_enc", "error_enc");
    assertThat(r.keySet())
        .contains(
            "upstream_request_id",
            "model_snapshot",
            "fallback",
            "prompt_id",
            "prompt_version",
            "tokens_cached",
            "tokens_reasoning",
            "time_to_first_event_ms",
            "pii_found",
            "guard_score");

    JsonObject k = recordOf(byKey);
    assertThat(k.getString("principal")).isEqualTo("dev-user");
  }

  // --- search ------------------------------------------------------------------------------------

  @Test
  void searchFiltersByMetadata() throws Exception {
    String mine = requestId(call(TestCredentials.DEV_USER, "gpt-4o-mini", "filters"));
    String theirs = requestId(call(DEV_USER_2, "gpt-4.1-nano", "filters"));

    assertThat(requestIds(search("principal=dev-user-2"))).contains(theirs).doesNotContain(mine);
    assertThat(principals(search("principal=dev-user-2"))).containsOnly("dev-user-2");
    assertThat(requestIds(search("model=gpt-4.1-nano"))).contains(theirs).doesNotContain(mine);
    assertThat(requestIds(search("model=gpt-4o-mini"))).contains(mine).doesNotContain(theirs);
    assertThat(requestIds(search("request_id=" + mine + "&outcome=succeeded")))
        .containsExactly(mine);
    assertThat(requestIds(search("request_id=" + mine + "&outcome=FAILED"))).isEmpty();
    assertThat(requestIds(search("request_id=" + mine + "&entry_point=v1"))).containsExactly(mine);
    assertThat(requestIds(search("request_id=" + mine + "&entry_point=API"))).isEmpty();
    assertThat(requestIds(search("request_id=" + mine + "&tenant=default"))).containsExactly(mine);
    assertThat(requestIds(search("request_id=" + mine + "&tenant=acme"))).isEmpty();
    assertThat(requestIds(search("request_id=" + mine + "&operation=chat.completions")))
        .containsExactly(mine);
    assertThat(requestIds(search("request_id=" + mine + "&prompt_id=greeting"))).isEmpty();
    assertThat(requestIds(search("prompt_version=1.0_0%25"))).isEmpty();

    // the time range: before the calls, nothing of them
    String before = "from=" + start.minusSeconds(3600) + "&to=" + start + "&request_id=" + mine;
    assertThat(requestIds(search(before))).isEmpty();
  }

  @Test
  void searchIsNewestFirstAndPaginated() throws Exception {
    for (int i = 0; i < 3; i++) {
      call(DEV_USER_2, "gpt-4o-mini", "page " + i);
    }
    JsonObject first = search("principal=dev-user-2&limit=2");
    assertThat(first.getJsonArray("data")).hasSize(2);
    assertThat(first.getBoolean("has_more")).isTrue();
    assertThat(first.getInt("next_offset")).isEqualTo(2);
    JsonObject second = search("principal=dev-user-2&limit=2&offset=2");
    assertThat(second.getJsonArray("data")).isNotEmpty();
    List<String> a = recordIds(first);
    List<String> b = recordIds(second);
    assertThat(a).doesNotContainAnyElementsOf(b);
    List<String> times =
        first.getJsonArray("data").stream()
            .map(v -> v.asJsonObject().getString("created_at"))
            .toList();
    assertThat(Instant.parse(times.get(0))).isAfterOrEqualTo(Instant.parse(times.get(1)));
    JsonObject r0 = first.getJsonArray("data").getJsonObject(0);
    JsonObject r1 = first.getJsonArray("data").getJsonObject(1);
    if (r0.getInt("chain") == r1.getInt("chain")) {
      assertThat(r0.getJsonNumber("seq").longValue())
          .isGreaterThan(r1.getJsonNumber("seq").longValue());
    }
  }

  @Test
  void badSearchParametersAreProblemJson() throws Exception {
    for (String q :
        List.of(
            "from=yesterday",
            "from=2020-01-01T00:00:00Z&to=2022-01-01T00:00:00Z",
            "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            "limit=0",
            "limit=501",
            "offset=-1")) {
      HttpResponse<String> r = http().get("api/audit?" + q, TestCredentials.DEV_AUDITOR);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }
    assertThat(http().get("api/audit/no-such-record", TestCredentials.DEV_AUDITOR).statusCode())
        .isEqualTo(404);
  }

  // --- detail: decrypted, redacted stays redacted, and the read is recorded
  // -----------------------

  @Test
  void theDetailIsDecryptedRedactedTextStaysRedactedAndTheReadIsRecorded() throws Exception {
    String marker = "detail-" + UUID.randomUUID();
    JsonObject r =
        recordOf(call(TestCredentials.DEV_USER, "gpt-4o-mini", marker + " mail alice@example.com"));
    String id = r.getString("record_id");
    Instant beforeRead = Instant.now().minusSeconds(1);

    JsonObject detail = json(http().get("api/audit/" + id, TestCredentials.DEV_AUDITOR));
    assertThat(detail.getString("record_id")).isEqualTo(id);
    assertThat(detail.getString("principal")).isEqualTo("dev-user");
    JsonObject request = detail.getJsonObject("content").getJsonObject("request");
    assertThat(request.getString("state")).isEqualTo("present");
    assertThat(request.get("value").getValueType()).isEqualTo(JsonValue.ValueType.OBJECT);
    assertThat(request.get("value").toString())
        .contains(marker)
        .doesNotContain("alice@example.com");
    JsonObject answer = detail.getJsonObject("content").getJsonObject("answer");
    assertThat(answer.getString("state")).isEqualTo("present");
    assertThat(answer.get("value").toString()).isNotBlank().doesNotContain("alice@example.com");
    assertThat(detail.getJsonObject("content").getJsonObject("error").getString("state"))
        .isEqualTo("absent");

    // the read is an audit record of its own, naming the reader and what was read
    JsonObject reads =
        search("operation=audit.read&principal=dev-auditor&from=" + beforeRead + "&limit=500");
    assertThat(reads.getJsonArray("data")).isNotEmpty();
    JsonObject read =
        reads.getJsonArray("data").getJsonObject(reads.getJsonArray("data").size() - 1);
    assertThat(read.getString("entry_point")).isEqualTo("API");
    assertThat(read.getString("tenant")).isEqualTo("default");
    JsonObject readDetail =
        json(http().get("api/audit/" + read.getString("record_id"), TestCredentials.DEV_AUDITOR));
    assertThat(readDetail.getJsonObject("content").getJsonObject("request").get("value").toString())
        .contains(id)
        .doesNotContain(marker);
  }

  // --- verify ------------------------------------------------------------------------------------

  @Test
  void anAuditorErasesASubjectWithAReasonAndTheErasureIsRecorded() throws Exception {
    String subject = "erase-" + UUID.randomUUID();
    HttpResponse<String> answered =
        http()
            .post(
                CHAT,
                TestCredentials.DEV_USER,
                Json.createObjectBuilder(chatBody("gpt-4o-mini", "about " + subject))
                    .add("user", subject)
                    .build());
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    String id = recordOf(answered).getString("record_id");
    assertThat(requestState(id)).isEqualTo("present");

    HttpResponse<String> erased =
        http()
            .post(
                "api/audit/erasures",
                TestCredentials.DEV_AUDITOR,
                Json.createObjectBuilder()
                    .add("subject", subject)
                    .add("reason", "request of the data subject, ticket 42")
                    .build());

    assertThat(erased.statusCode()).as(erased.body()).isEqualTo(201);
    JsonObject done = json(erased);
    assertThat(done.getBoolean("subject_had_key")).isTrue();
    JsonObject record = done.getJsonObject("erasure_record");
    assertThat(record.getString("operation")).isEqualTo("audit.erase");
    assertThat(record.getString("entry_point")).isEqualTo("API");
    assertThat(record.getString("principal")).isEqualTo("dev-auditor");
    assertThat(requestState(id)).isEqualTo("erased");
    // the erasure's own record keeps the reason, under the tenant's key
    JsonObject erasure =
        json(http().get("api/audit/" + record.getString("record_id"), TestCredentials.DEV_AUDITOR));
    assertThat(erasure.getJsonObject("content").getJsonObject("request").toString())
        .contains("request of the data subject, ticket 42");
  }

  @Test
  void badOrUnauthorisedErasuresAreRefusedAsProblemJson() throws Exception {
    JsonObject noReason = Json.createObjectBuilder().add("subject", "someone").build();
    HttpResponse<String> r =
        http().post("api/audit/erasures", TestCredentials.DEV_AUDITOR, noReason);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(r.body()).contains("reason");
    JsonObject unknown =
        Json.createObjectBuilder()
            .add("subject", "someone")
            .add("reason", "r")
            .add("everyone", true)
            .build();
    assertThat(http().post("api/audit/erasures", TestCredentials.DEV_AUDITOR, unknown).statusCode())
        .isEqualTo(400);

    JsonObject valid =
        Json.createObjectBuilder().add("subject", "someone").add("reason", "r").build();
    assertForbidden(http().post("api/audit/erasures", TestCredentials.DEV_ADMIN, valid));
    assertForbidden(http().post("api/audit/erasures", TestCredentials.DEV_USER, valid));
    String acmeAuditor = jwts.bearer("audrey@acme", "acme", "tenant-auditors");
    HttpResponse<String> otherTenant =
        http()
            .post(
                "api/audit/erasures",
                acmeAuditor,
                Json.createObjectBuilder(valid).add("tenant", "globex").build());
    assertForbidden(otherTenant);
    assertThat(json(otherTenant).getString("detail")).contains("acme");
  }

  private String requestState(String recordId) throws Exception {
    HttpResponse<String> read = http().get("api/audit/" + recordId, TestCredentials.DEV_AUDITOR);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    return json(read).getJsonObject("content").getJsonObject("request").getString("state");
  }

  @Test
  void verifyWalksTheChain() throws Exception {
    call(TestCredentials.DEV_USER, "gpt-4o-mini", "verify");
    JsonObject v = json(http().send("POST", "api/audit/verify", TestCredentials.DEV_AUDITOR, null));
    assertThat(v.getBoolean("ok")).as(v.toString()).isTrue();
    assertThat(v.getJsonNumber("records_checked").longValue()).isPositive();
    assertThat(v.isNull("first_break")).isTrue();
  }

  // --- export ------------------------------------------------------------------------------------

  @Test
  void theExportIsDecryptedVerifiesOfflineAndIsRecorded() throws Exception {
    String marker = "export-" + UUID.randomUUID();
    String id =
        recordOf(call(TestCredentials.DEV_USER, "gpt-4o-mini", marker)).getString("record_id");
    for (int i = 0; i < 3; i++) {
      call(TestCredentials.DEV_USER, "gpt-4o-mini", marker + " more " + i);
    }
    Instant to = Instant.now().plusSeconds(1);

    HttpResponse<byte[]> r =
        http()
            .send(
                http()
                    .request(
                        "GET",
                        "api/audit/export?from=" + start + "&to=" + to,
                        TestCredentials.DEV_AUDITOR),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
    assertThat(r.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(d -> assertThat(d).contains("attachment").contains(".zip"));
    Path zipFile = tmp.resolve("export.zip");
    Files.write(zipFile, r.body());
    Path dir = Files.createDirectories(tmp.resolve("export"));
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(zipFile))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        Files.copy(zip, dir.resolve(e.getName()));
      }
    }
    String records = Files.readString(dir.resolve("records.jsonl"));
    String manifest = Files.readString(dir.resolve("manifest.json"));
    assertThat(records).contains(id).contains(marker).contains("\"decrypted\"");
    assertThat(records.lines()).allSatisfy(l -> assertThat(l).contains("\"content_signature\""));
    assertThat(manifest).contains("\"decrypted\":true").contains("\"signature\"");

    // the public key, as an auditor downloads it: it checks, and is the development key's
    Path key = publicKey();
    assertThat(Files.readString(key))
        .isEqualTo(
            Files.readString(
                Path.of(System.getProperty("warden.audit.dev-keyset-dir"), "signing.public.json")));

    // the command an auditor runs: the jar mvn package builds, with the public key only
    assertThat(verifyJar(zipFile, key)).startsWith("exit 0: OK: ");
    List<String> lines = records.lines().toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
    List<String> edited = new ArrayList<>(lines);
    edited.set(1, edited.get(1).replace("\"latency_ms\":", "\"latency_ms\":1"));
    assertThat(verifyJar(zip(edited, manifest, "edited"), key))
        .startsWith("exit 1: BROKEN: line 2: CONTENT_MODIFIED");
    List<String> deleted = new ArrayList<>(lines);
    deleted.remove(2);
    assertThat(verifyJar(zip(deleted, manifest, "deleted"), key))
        .startsWith("exit 1: BROKEN: line 3: RECORD_MISSING");
    List<String> reordered = new ArrayList<>(lines);
    java.util.Collections.swap(reordered, 1, 2);
    assertThat(verifyJar(zip(reordered, manifest, "reordered"), key))
        .startsWith("exit 1: BROKEN: line 2: RECORD_MISSING");
    assertThat(
            verifyJar(
                zipFile, Path.of(System.getProperty("warden.audit.dev-keyset-dir"), "mac.json")))
        .startsWith("exit 1: BROKEN: ")
        .contains("public key");

    // a changed plaintext is named, though the verifier cannot decrypt
    Files.writeString(
        dir.resolve("records.jsonl"), records.replace(marker, "export-edited-" + marker));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(
            ExportVerifier.run(
                new String[] {dir.toString(), key.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err))
        .isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("decrypted content");

    // the export is recorded, naming the auditor
    JsonObject exports = search("operation=audit.export&principal=dev-auditor&from=" + start);
    assertThat(exports.getJsonArray("data")).isNotEmpty();
    assertThat(exports.getJsonArray("data").getJsonObject(0).getString("entry_point"))
        .isEqualTo("API");
  }

  @Test
  void badExportRangesAreProblemJson() throws Exception {
    HttpResponse<String> r =
        http()
            .get(
                "api/audit/export?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                TestCredentials.DEV_AUDITOR);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).getString("detail")).contains("366 days");
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** The export of the records since {@code start}, as {@code authorization}, unzipped. */
  private Path export(String authorization, String name) throws Exception {
    HttpResponse<InputStream> r =
        http()
            .send(
                http()
                    .request(
                        "GET",
                        "api/audit/export?"
                            + encodeColons("from=" + start + "&to=" + Instant.now().plusSeconds(1)),
                        authorization),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    Path dir = Files.createDirectories(tmp.resolve(name));
    try (ZipInputStream zip = new ZipInputStream(r.body())) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        Files.copy(zip, dir.resolve(e.getName()));
      }
    }
    return dir;
  }

  /** What the offline verifier prints for {@code dir}, with the public key the API hands out. */
  private String verifyExport(Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExportVerifier.run(
        new String[] {dir.toString(), publicKey().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        System.err);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** {@code GET /api/audit/public-key}, saved to a file. */
  private Path publicKey() throws Exception {
    HttpResponse<String> r = http().get("api/audit/public-key", TestCredentials.DEV_AUDITOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("Ed25519PublicKey").doesNotContain("Ed25519PrivateKey");
    Path key = tmp.resolve("public-key-" + UUID.randomUUID() + ".json");
    Files.writeString(key, r.body());
    return key;
  }

  /** A zip of {@code lines} and {@code manifest}, as the export is. */
  private Path zip(List<String> lines, String manifest, String name) throws Exception {
    Path zip = tmp.resolve(name + ".zip");
    try (java.util.zip.ZipOutputStream z =
        new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("records.jsonl"));
      z.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("manifest.json"));
      z.write(manifest.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return zip;
  }

  /**
   * {@code java -jar target/warden-audit-verify.jar <zip> <key>} in its own JVM, with nothing but
   * the jar on its class path: {@code "exit N: "} and what it printed.
   */
  private static String verifyJar(Path zip, Path key) throws Exception {
    Path jar = Path.of("target", "warden-audit-verify.jar");
    assertThat(jar).as("mvn package builds the verifier jar").isRegularFile();
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                zip.toString(),
                key.toString())
            .redirectErrorStream(true)
            .start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return "exit " + p.exitValue() + ": " + printed;
  }

  private static List<String> field(JsonObject page, String array, String name) {
    return page.getJsonArray(array).stream().map(v -> v.asJsonObject().getString(name)).toList();
  }

  private HttpResponse<String> call(String authorization, String model, String text)
      throws Exception {
    HttpResponse<String> r = http().post(CHAT, authorization, chatBody(model, text));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private static String requestId(HttpResponse<String> r) {
    return r.headers().firstValue("x-request-id").orElseThrow();
  }

  /** The audit record of a /v1 call, found by its request id. */
  private JsonObject recordOf(HttpResponse<String> call) throws Exception {
    JsonObject found = search("request_id=" + requestId(call));
    assertThat(found.getJsonArray("data")).hasSize(1);
    return found.getJsonArray("data").getJsonObject(0);
  }

  private JsonObject search(String query) throws Exception {
    String q = query.contains("from=") ? query : query + "&from=" + start;
    HttpResponse<String> r =
        http().get("api/audit?" + encodeColons(q), TestCredentials.DEV_AUDITOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  /** Instants carry ':' and '+', which a query string must escape. */
  private static String encodeColons(String q) {
    return q.replace(":", URLEncoder.encode(":", StandardCharsets.UTF_8))
        .replace("+", URLEncoder.encode("+", StandardCharsets.UTF_8));
  }

  private static List<String> requestIds(JsonObject page) {
    return field(page, "request_id");
  }

  private static List<String> recordIds(JsonObject page) {
    return field(page, "record_id");
  }

  private static List<String> principals(JsonObject page) {
    return field(page, "principal");
  }

  private static List<String> field(JsonObject page, String name) {
    return page.getJsonArray("data").stream().map(v -> v.asJsonObject().getString(name)).toList();
  }

  private static void assertForbidden(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
  }
}
