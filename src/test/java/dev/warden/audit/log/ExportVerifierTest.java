package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.crypto.Keysets;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export sealed with MACs (made before Warden had a signing key) verifies offline with the MAC
 * keyset, and an edited one names its first broken line. {@link SignedExportVerifierTest} runs the
 * same cases on a signed export checked with the public key alone.
 */
class ExportVerifierTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

  @TempDir Path dir;

  /** What Warden sealed the export with. */
  CheckpointSigner signer;

  /** What the offline verifier checks it with. */
  CheckpointSigner checker;

  final List<AuditRecord> chain = new ArrayList<>();

  /** The signer that seals the export and the one that checks it: here one MAC keyset. */
  CheckpointSigner[] sealing() {
    CheckpointSigner mac = CheckpointSigner.of(Keysets.generateMac());
    return new CheckpointSigner[] {mac, mac};
  }

  static AuditRecord record(int i) {
    AuditRecord r = new AuditRecord();
    r.recordId = "rec-" + i;
    r.createdAt = T0.plusSeconds(i);
    r.startedAt = T0.plusSeconds(i).minusMillis(5);
    r.requestId = "req-" + i;
    r.entryPoint = "V1";
    r.operation = "chat.completions";
    r.streamed = i % 2 == 0;
    r.principal = "anonymous";
    r.tenant = "default";
    r.dataSubject = i % 3 == 0 ? null : "ab".repeat(32);
    r.keySubject = "tenant:default";
    r.requestedModel = "gpt-4o-mini";
    r.answeredBy = "gpt-4o-mini";
    r.attempts = 1;
    r.latencyMs = 12 + i;
    r.timeToFirstEventMs = i % 2 == 0 ? 3L : null;
    r.tokensInput = 10;
    r.tokensOutput = 20 + i;
    r.cost = i == 2 ? new BigDecimal("0.001250") : null;
    r.outcome = "SUCCEEDED";
    r.piiFound = "EMAIL=1";
    r.guardScore = i == 4 ? 0.35 : null;
    r.requestEnc = new byte[] {1, 2, (byte) i, -1};
    r.answerEnc = new byte[] {9, (byte) i};
    if (i <= 4) { // written before route reasons: format 1
      r.recordFormat = 1;
    } else {
      r.routeReason = i == 5 ? null : "routed: use case triage, cheapest first";
    }
    return r;
  }

  @BeforeEach
  void sixChainedRecords() {
    CheckpointSigner[] sealing = sealing();
    signer = sealing[0];
    checker = sealing[1];
    chain.addAll(SyntheticExport.chain(6));
  }

  /** Exports records {@code from..to} (1-based sequence numbers) with a checkpoint at 4. */
  void export(int from, int to) throws Exception {
    export(from, to, false);
  }

  /** As {@link #export(int, int)}; {@code decrypted}: with each record's (made-up) plaintext. */
  void export(int from, int to, boolean decrypted) throws Exception {
    SyntheticExport.write(
        dir,
        chain.subList(from - 1, to),
        decrypted
            ? r ->
                new AuditView(
                    r,
                    AuditView.Field.of("{\"prompt\":\"hello " + r.recordId + "\"}"),
                    r.sequence == 3 ? AuditView.Field.ERASED : AuditView.Field.of("hi"),
                    AuditView.Field.ABSENT)
            : null,
        signer,
        List.of(signer.sign(4, chain.get(3).hash, T0)));
  }

  ExportVerifier.Report verify() {
    return ExportVerifier.verify(dir, checker);
  }

  /** The member of {@code line} holding its content seal: content_mac or content_signature. */
  static String contentSealMember(JsonObject line) {
    return line.containsKey(ExportFormat.CONTENT_MAC)
        ? ExportFormat.CONTENT_MAC
        : "content_signature";
  }

  List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(dir.resolve(ExportFormat.RECORDS)));
  }

  void write(List<String> lines) throws Exception {
    Files.write(dir.resolve(ExportFormat.RECORDS), lines);
  }

  @Test
  void aGoodExportVerifiesAndEveryFieldRoundTrips() throws Exception {
    export(2, 6);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.records()).isEqualTo(5);
    assertThat(report.toString()).startsWith("OK: 5 records, sequence 2 to 6, 1 checkpoints");
    for (AuditRecord r : chain) {
      assertThat(AuditRecords.canonical(ExportFormat.fromJson(ExportFormat.toJson(r))))
          .isEqualTo(AuditRecords.canonical(r));
    }
  }

  @Test
  void aDecryptedExportVerifiesAndAnEditedPlaintextIsNamed() throws Exception {
    export(1, 6, true);
    assertThat(verify().ok()).as(verify().toString()).isTrue();
    assertThat(Files.readString(dir.resolve(ExportFormat.MANIFEST))).contains("\"decrypted\":true");
    List<String> lines = lines();
    assertThat(lines.get(2)).contains("\"state\":\"erased\"").contains("hello rec-3");
    lines.set(3, lines.get(3).replace("hello rec-4", "hello rec-X"));
    write(lines);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(4);
    assertThat(report.toString()).contains("line 4").contains("decrypted content");
  }

  /** Writes a decrypted export of the records of {@code tenant} among {@link #chain}. */
  void tenantExport(String tenant) throws Exception {
    ExportFormat.RecordsWriter w;
    try (Writer out = Files.newBufferedWriter(dir.resolve(ExportFormat.RECORDS))) {
      w =
          ExportFormat.decryptingWriter(
              out,
              r ->
                  new AuditView(
                      r, AuditView.Field.of("{}"), AuditView.Field.ABSENT, AuditView.Field.ABSENT),
              signer,
              tenant);
      for (AuditRecord r : chain) {
        if (r.tenant.equals(tenant)) {
          w.add(r);
        }
      }
    }
    try (JsonWriter out =
        Json.createWriter(Files.newBufferedWriter(dir.resolve(ExportFormat.MANIFEST)))) {
      out.writeObject(
          w.manifest(signer, T0.plusSeconds(60), T0, T0.plusSeconds(60), List.of(), List.of()));
    }
  }

  @Test
  void aTenantExportChecksEachRecordAndItsTenantIsSealed() throws Exception {
    chain.clear();
    ChainHead head = ChainHead.GENESIS;
    for (int i = 1; i <= 6; i++) {
      AuditRecord r = record(i);
      r.tenant = i % 2 == 0 ? "acme" : "globex";
      ChainRecord c = ChainHasher.next(head, r.recordId, AuditRecords.canonical(r));
      r.sequence = c.sequence();
      r.prevHash = c.previousHash();
      r.hash = c.hash();
      head = c.head();
      chain.add(r);
    }
    tenantExport("acme");
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.toString()).startsWith("OK: 3 records of tenant acme, sequence 2 to 6");
    assertThat(lines()).hasSize(3).noneMatch(l -> l.contains("\"tenant\":\"globex\""));

    // a dropped record: the sealed count
    List<String> lines = lines();
    write(List.of(lines.get(0), lines.get(2)));
    assertThat(verify().ok()).isFalse();
    // edited metadata: the record's hash (and its content seal, bound to the hash)
    write(
        List.of(lines.get(0), lines.get(1).replace("\"anonymous\"", "\"someone\""), lines.get(2)));
    assertThat(verify().toString()).startsWith("BROKEN: line 2");
    write(lines);
    assertThat(verify().ok()).isTrue();

    // the tenant cannot be changed or dropped (the chain then has gaps)
    String manifest = Files.readString(dir.resolve(ExportFormat.MANIFEST));
    Files.writeString(
        dir.resolve(ExportFormat.MANIFEST),
        manifest.replace("\"tenant\":\"acme\"", "\"tenant\":\"globex\""));
    assertThat(verify().toString()).contains("tenant seal");
    Files.writeString(
        dir.resolve(ExportFormat.MANIFEST), manifest.replace("\"tenant\":\"acme\",", ""));
    assertThat(verify().ok()).isFalse();

    // nor can a full export claim a tenant to skip the links between its records
    export(1, 6, true);
    String full = Files.readString(dir.resolve(ExportFormat.MANIFEST));
    Files.writeString(
        dir.resolve(ExportFormat.MANIFEST),
        full.replace("\"count\":", "\"tenant\":\"acme\",\"tenant_mac\":\"AAAA\",\"count\":"));
    assertThat(verify().toString()).contains("tenant seal");
  }

  @Test
  void decryptedContentMovedToAnotherRecordIsNamed() throws Exception {
    export(1, 6, true);
    List<String> lines = lines();
    JsonObject second = Json.createReader(new java.io.StringReader(lines.get(1))).readObject();
    JsonObject third = Json.createReader(new java.io.StringReader(lines.get(2))).readObject();
    lines.set(
        2,
        Json.createObjectBuilder(third)
            .add(ExportFormat.DECRYPTED, second.get(ExportFormat.DECRYPTED))
            .add(contentSealMember(second), second.get(contentSealMember(second)))
            .build()
            .toString());
    write(lines);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(3);
  }

  @Test
  void anExportWrittenBeforeRouteReasonsStillVerifies() throws Exception {
    export(1, 4);
    List<String> lines = new ArrayList<>();
    for (String line : lines()) {
      assertThat(line).contains("\"record_format\":1");
      lines.add(line.replace("\"record_format\":1,", "").replace("\"route_reason\":null,", ""));
    }
    write(lines);
    Path manifest = dir.resolve(ExportFormat.MANIFEST);
    Files.writeString(
        manifest, Files.readString(manifest).replace(ExportFormat.FORMAT, ExportFormat.FORMAT_V1));
    assertThat(Files.readString(manifest)).contains("warden.audit.export.v1");
    assertThat(lines().get(0)).doesNotContain("record_format");
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
  }

  @Test
  void anEditedRouteReasonIsNamed() throws Exception {
    export(1, 6);
    List<String> lines = lines();
    lines.set(5, lines.get(5).replace("routed: use case triage, cheapest first", "requested"));
    write(lines);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(6);
  }

  @Test
  void anEditedLineIsNamed() throws Exception {
    export(1, 6);
    List<String> lines = lines();
    lines.set(2, lines.get(2).replace("\"tokens_output\":23", "\"tokens_output\":2300"));
    write(lines);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(3);
    assertThat(report.toString()).contains("line 3").contains("CONTENT_MODIFIED");
  }

  @Test
  void aDeletedLineIsNamedAsTheLineAfterTheGap() throws Exception {
    export(1, 6);
    List<String> lines = lines();
    lines.remove(1);
    write(lines);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(2);
    assertThat(report.message()).contains("RECORD_MISSING at sequence 2");
  }

  @Test
  void swappedLinesAreNamedAtTheFirstLineOutOfOrder() throws Exception {
    export(1, 6);
    List<String> lines = lines();
    java.util.Collections.swap(lines, 2, 3);
    write(lines);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).as(report.toString()).isEqualTo(3);
    assertThat(report.message()).startsWith("line 3: ");
  }

  @Test
  void cutEndsAndAnEditedManifestAreNamed() throws Exception {
    export(1, 6);
    List<String> lines = lines();
    write(lines.subList(0, 5)); // the last record removed
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(6);
    assertThat(report.message()).contains("end of file");

    write(lines.subList(1, 6)); // the first record removed
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(1);

    write(lines);
    Path manifest = dir.resolve(ExportFormat.MANIFEST);
    String m = Files.readString(manifest);
    Files.writeString(manifest, m.replace("\"count\":6", "\"count\":5"));
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isZero();
    assertThat(report.message()).contains("does not verify");

    Files.writeString(manifest, m);
    lines.set(3, "{not json");
    write(lines);
    report = verify();
    assertThat(report.line()).isEqualTo(4);
    assertThat(report.message()).contains("line 4 is not a record");
  }

  @Test
  void theCommandPrintsAndExitsWithTheResult() throws Exception {
    export(1, 6);
    Path keyset = dir.resolve("mac.json");
    // a keyset that did not sign the export: the manifest does not verify
    Keysets.writeFile(keyset, Keysets.generateMac(), false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ExportVerifier.run(
            new String[] {dir.toString(), keyset.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("BROKEN: ");
    assertThat(ExportVerifier.run(new String[] {dir.toString()}, System.out, new PrintStream(err)))
        .isEqualTo(2);
  }
}
