package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.Seal;
import dev.warden.crypto.InMemorySubjectKeyStore;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectKeys;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  /** The MAC keyset of {@link #sealing()}. */
  final KeysetHandle macKeyset = Keysets.generateMac();

  /** The signer that seals the export and the one that checks it: here one MAC keyset. */
  CheckpointSigner[] sealing() {
    CheckpointSigner mac = CheckpointSigner.of(macKeyset);
    return new CheckpointSigner[] {mac, mac};
  }

  /** The keyset that sealed checkpoints before the log was partitioned. */
  KeysetHandle sealingKeyset() {
    return macKeyset;
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
        decrypted ? ExportVerifierTest::plaintext : null,
        signer,
        List.of(signer.sign(4, chain.get(3).hash, T0)));
  }

  /** The made-up plaintext of a record: its request names it, record 3's answer is erased. */
  static AuditView plaintext(AuditRecord r) {
    return new AuditView(
        r,
        AuditView.Field.of("{\"prompt\":\"hello " + r.recordId + "\"}"),
        r.sequence == 3 ? AuditView.Field.ERASED : AuditView.Field.of("hi"),
        AuditView.Field.ABSENT);
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
    assertThat(report.toString())
        .isEqualTo(
            "OK: 5 records in 1 chain (chain 1: sequence 2 to 6), 1 checkpoints, 0 purged ranges");
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
    tenantExport(tenant, chain);
  }

  /** Writes a decrypted export of the records of {@code tenant} among {@code records}. */
  void tenantExport(String tenant, List<AuditRecord> records) throws Exception {
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
      for (AuditRecord r : records) {
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

  /** Records 1 to 6 of {@code chainNo}, of tenants acme (even) and globex (odd). */
  static List<AuditRecord> tenantChain(int chainNo) {
    List<AuditRecord> records = new ArrayList<>();
    ChainHead head = ChainHead.GENESIS;
    for (int i = 1; i <= 6; i++) {
      AuditRecord r = record(i);
      r.chain = (short) chainNo;
      r.recordId = "rec-" + chainNo + "-" + i;
      r.tenant = i % 2 == 0 ? "acme" : "globex";
      ChainRecord c = ChainHasher.next(chainNo, head, r.recordId, AuditRecords.canonical(r));
      r.sequence = c.sequence();
      r.prevHash = c.previousHash();
      r.hash = c.hash();
      head = c.head();
      records.add(r);
    }
    return records;
  }

  @Test
  void aTenantExportChecksEachRecordAndItsTenantIsSealed() throws Exception {
    chain.clear();
    chain.addAll(tenantChain(1));
    tenantExport("acme");
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.toString())
        .startsWith("OK: 3 records of tenant acme in 1 chain (chain 1: sequence 2 to 6)");
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
    SyntheticExport.writeV4(
        dir,
        ExportFormat.FORMAT_V1,
        chain.subList(0, 4),
        null,
        signer,
        List.of(SyntheticExport.unpartitionedCheckpoint(sealingKeyset(), 4, chain.get(3).hash, T0)),
        null);
    List<String> lines = new ArrayList<>();
    for (String line : lines()) {
      assertThat(line).contains("\"record_format\":1");
      lines.add(line.replace("\"record_format\":1,", "").replace("\"route_reason\":null,", ""));
    }
    write(lines);
    Path manifest = dir.resolve(ExportFormat.MANIFEST);
    assertThat(Files.readString(manifest)).contains("warden.audit.export.v1");
    assertThat(lines().get(0)).doesNotContain("record_format");
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.toString()).startsWith("OK: 4 records, sequence 1 to 4, 1 checkpoints");
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

  // --- a log partitioned into chains ---------------------------------------------------------

  /** Chain 2's records 1 to 4, beside {@link #chain} (chain 1's 1 to 6). */
  final List<AuditRecord> second = SyntheticExport.chain(2, 4);

  /**
   * Exports chain 1's records 1 to 6 (lines 1 to 6) and chain 2's 1 to 4 (lines 7 to 10), with a
   * checkpoint of each (chain 1 at 4, chain 2 at 3).
   */
  void exportTwoChains(boolean decrypted) {
    List<AuditRecord> both = new ArrayList<>(chain);
    both.addAll(second);
    SyntheticExport.write(
        dir,
        both,
        decrypted ? ExportVerifierTest::plaintext : null,
        signer,
        List.of(
            signer.sign(1, 2, 4, chain.get(3).hash, T0),
            signer.sign(2, 2, 3, second.get(2).hash, T0)));
  }

  JsonObject manifest() throws Exception {
    try (var reader =
        Json.createReader(Files.newBufferedReader(dir.resolve(ExportFormat.MANIFEST)))) {
      return reader.readObject();
    }
  }

  void writeManifest(JsonObject m) throws Exception {
    Files.writeString(dir.resolve(ExportFormat.MANIFEST), m.toString());
  }

  @Test
  void anExportOfTwoChainsVerifiesChainByChain() throws Exception {
    exportTwoChains(false);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.records()).isEqualTo(10);
    assertThat(report.toString())
        .isEqualTo(
            "OK: 10 records in 2 chains (chain 1: sequence 1 to 6, chain 2: sequence 1 to 4), 2"
                + " checkpoints, 0 purged ranges");
    JsonObject m = manifest();
    assertThat(m.getString("format")).isEqualTo("warden.audit.export.v5");
    assertThat(m.getInt("chain_count")).isEqualTo(2);
    assertThat(m.getJsonArray("chains").getJsonObject(1).getInt("last_seq")).isEqualTo(4);
    assertThat(m.getJsonArray("checkpoints").getJsonObject(1).getInt("chain")).isEqualTo(2);
    List<String> lines = lines();
    assertThat(lines.get(0)).startsWith("{\"chain\":1,\"seq\":1,");
    assertThat(lines.get(6)).startsWith("{\"chain\":2,\"seq\":1,");

    exportTwoChains(true);
    report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
  }

  @Test
  void anEditedRecordOfTheSecondChainIsNamedWithItsChain() throws Exception {
    exportTwoChains(false);
    List<String> lines = lines();
    lines.set(8, lines.get(8).replace("\"tokens_output\":23", "\"tokens_output\":2300"));
    write(lines);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(9);
    assertThat(report.toString())
        .startsWith("BROKEN: line 9: CONTENT_MODIFIED at chain 2, sequence 3 (rec-2-3): ");

    exportTwoChains(true);
    lines = lines();
    lines.set(7, lines.get(7).replace("hello rec-2-2", "hello rec-2-X"));
    write(lines);
    report = verify();
    assertThat(report.line()).isEqualTo(8);
    assertThat(report.toString())
        .startsWith("BROKEN: line 8: CONTENT_MODIFIED at chain 2, sequence 2 (rec-2-2): ")
        .contains("decrypted content");
  }

  @Test
  void aRecordMovedToTheOtherChainIsNamed() throws Exception {
    exportTwoChains(false);
    List<String> lines = lines();
    // chain 2's record 2 relabelled as chain 1's record 7: its hash is of chain 2
    String moved = lines.get(7).replace("\"chain\":2,\"seq\":2,", "\"chain\":1,\"seq\":7,");
    lines.remove(7);
    lines.add(6, moved);
    write(lines);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).as(report.toString()).isEqualTo(7);
  }

  @Test
  void aCutTailOrMissingLinesOfAChainAreNamed() throws Exception {
    exportTwoChains(false);
    List<String> lines = lines();
    write(lines.subList(0, 9)); // chain 2's last record removed
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(10);
    assertThat(report.message())
        .startsWith("line 10 (end of file): RECORD_MISSING at chain 2, sequence 4: ");

    List<String> cut = new ArrayList<>(lines);
    cut.remove(5); // chain 1's last record removed: named at the line after chain 1's
    write(cut);
    report = verify();
    assertThat(report.line()).isEqualTo(6);
    assertThat(report.message()).startsWith("line 6: RECORD_MISSING at sequence 6: ");

    write(lines.subList(0, 6)); // every line of chain 2 removed, its entry kept
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.message())
        .startsWith("line 7 (end of file): RECORD_MISSING at chain 2, sequence 1: ");

    List<String> reordered = new ArrayList<>(lines.subList(6, 10));
    reordered.addAll(lines.subList(0, 6)); // chain 2's lines first
    write(reordered);
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(1);
  }

  @Test
  void aChainDroppedFromTheManifestIsNamed() throws Exception {
    exportTwoChains(false);
    JsonObject m = manifest();
    JsonObject dropped =
        Json.createObjectBuilder(m)
            .add("chains", Json.createArrayBuilder().add(m.getJsonArray("chains").get(0)))
            .add("count", 6)
            .build();
    writeManifest(dropped);
    // its lines remain: the first is named
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isEqualTo(7);
    assertThat(report.message())
        .startsWith("line 7: RECORD_INSERTED at chain 2, sequence 1 (rec-2-1): ")
        .contains("does not list chain 2");

    // its lines removed too: the manifest was sealed with two chains
    write(lines().subList(0, 6));
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isZero();
    assertThat(report.message()).contains("sealed with 2 chains").contains("lists 1");

    // and the number of chains cannot be changed
    writeManifest(Json.createObjectBuilder(dropped).add("chain_count", 1).build());
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isZero();
    assertThat(report.message()).contains("does not verify for chain 1");

    // nor can chain 2's bounds pass for chain 1's
    exportTwoChains(false);
    JsonArray chains = manifest().getJsonArray("chains");
    writeManifest(
        Json.createObjectBuilder(manifest())
            .add(
                "chains",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder(chains.getJsonObject(1)).add("chain", 1).build())
                    .add(chains.getJsonObject(1)))
            .build());
    assertThat(verify().message()).contains("does not verify for chain 1");
  }

  @Test
  void aTenantExportOfTwoChainsChecksEachChain() throws Exception {
    List<AuditRecord> records = new ArrayList<>(tenantChain(1));
    records.addAll(tenantChain(2));
    tenantExport("acme", records);
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.toString())
        .startsWith(
            "OK: 6 records of tenant acme in 2 chains (chain 1: sequence 2 to 6, chain 2:"
                + " sequence 2 to 6)");
    List<String> lines = lines();
    assertThat(lines).hasSize(6);

    write(lines.subList(0, 5)); // chain 2's last record removed
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.message()).contains("in chain 2 ending at sequence 6");

    List<String> edited = new ArrayList<>(lines);
    edited.set(4, edited.get(4).replace("\"anonymous\"", "\"someone\""));
    write(edited);
    report = verify();
    assertThat(report.toString()).startsWith("BROKEN: line 5: CONTENT_MODIFIED at chain 2, ");

    // a chain's lines cannot be dropped with its entry: the tenant seal covers every chain
    write(lines.subList(0, 3));
    JsonObject m = manifest();
    writeManifest(
        Json.createObjectBuilder(m)
            .add("chains", Json.createArrayBuilder().add(m.getJsonArray("chains").get(0)))
            .add("chain_count", 1)
            .add("count", 3)
            .build());
    assertThat(verify().ok()).isFalse();
  }

  @Test
  void theContentSealOfARecordBindsItsChain() {
    byte[] hash = second.get(0).hash;
    Seal s = signer.signContent(2, "rec", 1, hash, "request", "hi");
    assertThat(checker.verifyContent(s, 2, "rec", 1, hash, "request", "hi")).isTrue();
    assertThat(checker.verifyContent(s, 1, "rec", 1, hash, "request", "hi")).isFalse();
    assertThat(checker.verifyContent(s, 3, "rec", 1, hash, "request", "hi")).isFalse();
    // the first chain's seal is the one made before the log was partitioned
    Seal first = signer.signContent("rec", 1, hash, "request", "hi");
    assertThat(checker.verifyContent(first, 1, "rec", 1, hash, "request", "hi")).isTrue();
  }

  @Test
  void anExportWrittenBeforeTheLogWasPartitionedStillVerifies() throws Exception {
    SyntheticExport.writeV4(
        dir,
        "warden.audit.export.v4",
        chain,
        ExportVerifierTest::plaintext,
        signer,
        List.of(SyntheticExport.unpartitionedCheckpoint(sealingKeyset(), 4, chain.get(3).hash, T0)),
        null);
    assertThat(lines()).noneMatch(l -> l.contains("\"chain\""));
    ExportVerifier.Report report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.toString())
        .isEqualTo("OK: 6 records, sequence 1 to 6, 1 checkpoints, 0 purged ranges");

    List<String> lines = lines();
    List<String> edited = new ArrayList<>(lines);
    edited.set(2, edited.get(2).replace("\"tokens_output\":23", "\"tokens_output\":2300"));
    write(edited);
    report = verify();
    assertThat(report.toString())
        .startsWith("BROKEN: line 3: CONTENT_MODIFIED at sequence 3 (rec-3)");

    // relabelled as v5, it has neither chains nor chain seals
    write(lines);
    Path manifest = dir.resolve(ExportFormat.MANIFEST);
    String v4 = Files.readString(manifest);
    Files.writeString(manifest, v4.replace("warden.audit.export.v4", ExportFormat.FORMAT));
    report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.line()).isZero();

    // a tenant's export of then
    chain.clear();
    chain.addAll(tenantChain(1));
    List<AuditRecord> acme = chain.stream().filter(r -> r.tenant.equals("acme")).toList();
    SyntheticExport.writeV4(
        dir,
        "warden.audit.export.v4",
        acme,
        r ->
            new AuditView(
                r, AuditView.Field.of("{}"), AuditView.Field.ABSENT, AuditView.Field.ABSENT),
        signer,
        List.of(),
        "acme");
    report = verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.toString()).startsWith("OK: 3 records of tenant acme, sequence 2 to 6 (");
  }

  @Test
  void anExportOfTheStoredLogHoldsEveryChain() throws Exception {
    SubjectKeys subjectKeys =
        new SubjectKeys(
            MasterKeyset.of(Keysets.generateAead()),
            new InMemorySubjectKeyStore(),
            100,
            Duration.ofMinutes(5),
            Clock.systemUTC());
    SeAuditStack.Keys keys = new SeAuditStack.Keys(signer, subjectKeys);
    String db = "export_" + UUID.randomUUID().toString().replace("-", "");
    Instant from = Instant.now().minusSeconds(5);
    ExecutorService holder = Executors.newSingleThreadExecutor();
    try (SeAuditStack stack = new SeAuditStack(SeAuditStack.Db.h2(db), 4, keys, 0).chains(2)) {
      stack.appendCall("subject-a", "{}", "{}");
      stack.appendCall("subject-a", "{}", "{}");
      // while another transaction holds the first chain's head, appends take the second
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<Object> hold =
          holder.submit(
              () ->
                  stack.transaction(
                      em -> {
                        em.createNativeQuery(
                                "select id from audit_chain_head where id = 1 for update")
                            .getResultList();
                        held.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return null;
                      }));
      held.await();
      for (int i = 0; i < 3; i++) {
        stack.appendCall("subject-b", "{}", "{}");
      }
      release.countDown();
      hold.get();
      stack.appendCall("subject-a", "{}", "{}");
      assertThat(stack.checkpoints()).hasSize(2);
      assertThat(stack.verify().intact()).isTrue();

      AuditExport.Summary summary =
          stack.transaction(
              em -> {
                AuditExport export = new AuditExport();
                export.em = em;
                export.signer = signer;
                export.clock = Clock.systemUTC();
                return export.write(from, Instant.now().plusSeconds(5), dir, false, null);
              });
      assertThat(summary.count()).isEqualTo(6);
      assertThat(summary.chains())
          .containsExactly(
              new AuditExport.ChainSpan(1, 1, 3, 3), new AuditExport.ChainSpan(2, 1, 3, 3));
      ExportVerifier.Report report = verify();
      assertThat(report.ok()).as(report.toString()).isTrue();
      assertThat(report.toString())
          .isEqualTo(
              "OK: 6 records in 2 chains (chain 1: sequence 1 to 3, chain 2: sequence 1 to 3), 2"
                  + " checkpoints, 0 purged ranges");
    } finally {
      holder.shutdownNow();
    }
  }
}
