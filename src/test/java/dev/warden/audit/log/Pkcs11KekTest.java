package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.config.DevelopmentMode;
import dev.warden.config.Settings;
import dev.warden.crypto.InMemorySubjectKeyStore;
import dev.warden.crypto.KeyEncryptionKey;
import dev.warden.crypto.KeysetTool;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SoftHsm;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import dev.warden.pii.PiiEngine;
import dev.warden.pii.PiiPolicy;
import dev.warden.pii.PlaceholderVault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keysets encrypted under an AES key in a real SoftHSM2 token, through PKCS#11 ({@code SunPKCS11}):
 * made and rotated with {@link KeysetTool}, loaded from settings the way Warden loads them, and
 * used by the real audit stack ({@link SeAuditStack}). The token directory is fresh; {@code
 * SOFTHSM2_CONF} (set by the build for the test JVM) names the configuration written here before
 * the library is first loaded.
 */
class Pkcs11KekTest {
  @TempDir static Path dir;

  static SoftHsm hsm;
  static SoftHsm.Token token;
  static SoftHsm.Token spare;

  @BeforeAll
  static void token() throws Exception {
    String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null) {
      String message = "SOFTHSM2_CONF is not set: run this test through Maven (the pom sets it)";
      if ("1".equals(System.getenv("WARDEN_REQUIRE_SOFTHSM"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    hsm = SoftHsm.create(Path.of(conf), dir);
    token = hsm.initToken("warden", dir);
    spare = hsm.initToken("spare", dir);
    hsm.createAesKey(token, "warden-kek");
    hsm.createAesKey(token, "warden-kek-2");
    hsm.createAesKey(spare, "spare-kek");
  }

  private static Settings settings(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)), values.keySet());
  }

  /** Runs {@link KeysetTool}; returns its output, failing on a non-zero status. */
  private static String tool(List<String> kek, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(kek);
    int status =
        KeysetTool.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<String> kek(String label) {
    return hsm.kekOptions(token, label, "kek-");
  }

  /**
   * Production settings: the four encrypted keysets in {@code d} under the HSM key {@code label}.
   */
  private static Map<String, String> production(Path d, String label) {
    Map<String, String> m = new HashMap<>(hsm.kekSettings(token, label));
    m.put(MasterKeyset.ENCRYPTED_KEYSET_FILE, d.resolve("master.enc.json").toString());
    m.put(CheckpointSigner.ENCRYPTED_MAC_KEYSET_FILE, d.resolve("mac.enc.json").toString());
    m.put(CheckpointSigner.ENCRYPTED_SIGNING_KEYSET_FILE, d.resolve("signing.enc.json").toString());
    m.put(SubjectPseudonyms.ENCRYPTED_KEYSET_FILE, d.resolve("pseudonym.enc.json").toString());
    return m;
  }

  private static Path newKeysets(String name) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    tool(kek("warden-kek"), "new-aead", d.resolve("master.enc.json").toString());
    tool(kek("warden-kek"), "new-mac", d.resolve("mac.enc.json").toString());
    tool(kek("warden-kek"), "new-signing", d.resolve("signing.enc.json").toString());
    tool(kek("warden-kek"), "new-pseudonym", d.resolve("pseudonym.enc.json").toString());
    return d;
  }

  @Test
  void encryptedKeysetsRoundTripThroughTheHsmKeyAndAreBoundToTheirPurpose() throws Exception {
    Path d = newKeysets("roundtrip");
    String json = Files.readString(d.resolve("master.enc.json"));
    assertThat(Keysets.isEncryptedJson(json)).isTrue();
    assertThatThrownBy(() -> Keysets.parseJson(json, "x"))
        .isInstanceOf(IllegalArgumentException.class);

    Settings s = settings(production(d, "warden-kek"));
    assertThat(AuditKeys.problem(s)).isEmpty(); // development mode off, and nothing to refuse
    assertThat(AuditKeys.loadProblem(s)).isEmpty();
    MasterKeyset master = MasterKeyset.fromSettings(s);
    byte[] ad = "ad".getBytes(StandardCharsets.UTF_8);
    byte[] ct = master.encrypt("secret".getBytes(StandardCharsets.UTF_8), ad);
    assertThat(MasterKeyset.fromSettings(s).decrypt(ct, ad))
        .isEqualTo("secret".getBytes(StandardCharsets.UTF_8));
    assertThat(SubjectPseudonyms.fromSettings(s).pseudonym("t", "alice"))
        .isEqualTo(SubjectPseudonyms.fromSettings(s).pseudonym("t", "alice"));

    // the info command decrypts through the HSM and names the purpose
    assertThat(tool(kek("warden-kek"), "info", d.resolve("mac.enc.json").toString()))
        .contains("encrypted mac keyset")
        .contains(" primary ENABLED");

    // another HSM key cannot unwrap it, and the message names the setting
    Settings otherKek = settings(production(d, "warden-kek-2"));
    assertThatThrownBy(() -> MasterKeyset.fromSettings(otherKek))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(MasterKeyset.ENCRYPTED_KEYSET_FILE);
    // a master keyset configured as the pseudonym keyset does not decrypt (purpose binding)
    Map<String, String> swapped = production(d, "warden-kek");
    swapped.put(SubjectPseudonyms.ENCRYPTED_KEYSET_FILE, d.resolve("master.enc.json").toString());
    assertThatThrownBy(() -> SubjectPseudonyms.fromSettings(settings(swapped)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SubjectPseudonyms.ENCRYPTED_KEYSET_FILE)
        .hasMessageContaining("pseudonym");
  }

  @Test
  void theAuditStackWritesAndVerifiesWithHsmUnwrappedKeysetsThroughRotationRewrapAndANewKek()
      throws Exception {
    Path d = newKeysets("stack");
    Path masterFile = d.resolve("master.enc.json");
    Path macFile = d.resolve("mac.enc.json");
    Settings s = settings(production(d, "warden-kek"));
    InMemorySubjectKeyStore store = new InMemorySubjectKeyStore();
    SubjectKeys keys = subjectKeys(MasterKeyset.fromSettings(s), store);
    byte[] ad = "request".getBytes(StandardCharsets.UTF_8);
    byte[] sample = keys.encrypt(AuditRecords.subjectKeyId("subject-1"), new byte[] {7, 8, 9}, ad);

    try (SeAuditStack stack =
        new SeAuditStack(
            SeAuditStack.Db.h2("hsm_kek"),
            2,
            new SeAuditStack.Keys(CheckpointSigner.fromSettings(s), keys),
            0)) {
      for (int i = 1; i <= 3; i++) {
        stack.appendCall("subject-" + i, "{\"q\":" + i + "}", "{\"a\":" + i + "}");
      }
      assertThat(stack.checkpoint()).isPresent();
      assertThat(stack.verify().intact()).as(stack.verify().toString()).isTrue();
    }
    int oldMaster = MasterKeyset.fromSettings(s).primaryKeyId();

    // rotation of the HSM-wrapped master and MAC keysets: the files stay encrypted
    tool(kek("warden-kek"), "rotate", masterFile.toString());
    tool(kek("warden-kek"), "rotate", macFile.toString());
    assertThat(Keysets.isEncryptedJson(Files.readString(masterFile))).isTrue();
    MasterKeyset rotated = MasterKeyset.fromSettings(s);
    assertThat(rotated.primaryKeyId()).isNotEqualTo(oldMaster);
    assertThat(rotated.keyIds()).contains(oldMaster);

    // the re-wrap job moves every subject key to the new primary
    SubjectKeys afterRotation = subjectKeys(rotated, store);
    List<String> subjects =
        Stream.of("subject-1", "subject-2", "subject-3").map(AuditRecords::subjectKeyId).toList();
    assertThat(afterRotation.rewrapAll(subjects)).isEqualTo(3);
    assertThat(afterRotation.rewrapAll(subjects)).isZero();
    tool(kek("warden-kek"), "remove", masterFile.toString(), Integer.toUnsignedString(oldMaster));

    // a new key-encryption key: the keysets are re-encrypted, the old KEK no longer opens them
    for (String f :
        List.of("master.enc.json", "mac.enc.json", "signing.enc.json", "pseudonym.enc.json")) {
      List<String> both = new ArrayList<>(kek("warden-kek"));
      both.addAll(hsm.kekOptions(token, "warden-kek-2", "new-kek-"));
      tool(both, "rewrap", d.resolve(f).toString());
    }
    assertThatThrownBy(() -> MasterKeyset.fromSettings(s))
        .hasMessageContaining(MasterKeyset.ENCRYPTED_KEYSET_FILE);
    Settings s2 = settings(production(d, "warden-kek-2"));
    MasterKeyset reloaded = MasterKeyset.fromSettings(s2);
    assertThat(reloaded.keyIds()).containsExactly(rotated.primaryKeyId());
    SubjectKeys finalKeys = subjectKeys(reloaded, store);
    assertThat(finalKeys.decrypt(AuditRecords.subjectKeyId("subject-1"), sample, ad))
        .containsExactly(7, 8, 9);

    // the chain written before the rotations verifies under the rotated, re-encrypted MAC keyset,
    // and records appended now verify too
    try (SeAuditStack stack =
        new SeAuditStack(
            SeAuditStack.Db.h2("hsm_kek"),
            2,
            new SeAuditStack.Keys(CheckpointSigner.fromSettings(s2), finalKeys),
            0)) {
      stack.appendCall("subject-4", "{\"q\":4}", "{\"a\":4}");
      assertThat(stack.checkpoint()).isPresent();
      assertThat(stack.verify().intact()).as(stack.verify().toString()).isTrue();
      assertThat(stack.sequences()).hasSize(4);
    }
  }

  @Test
  void thePiiHashKeyFromAnHsmWrappedKeysetIsStable() throws Exception {
    Path file = dir.resolve("pii-hash.enc.json");
    tool(kek("warden-kek"), "new-pii-hash", file.toString());
    Map<String, String> m = new HashMap<>(hsm.kekSettings(token, "warden-kek"));
    m.put(PiiPolicy.HASH_ENCRYPTED_KEYSET_FILE, file.toString());
    m.put("warden.pii.action.email", "hash");
    PiiPolicy one = PiiPolicy.from(settings(m));
    PiiPolicy two = PiiPolicy.from(settings(m));
    assertThat(one.hashKeyConfigured()).isTrue();
    String a = new PiiEngine(one).redact("jane@example.com", null, new PlaceholderVault()).text();
    String b = new PiiEngine(two).redact("jane@example.com", null, new PlaceholderVault()).text();
    assertThat(a).matches("<EMAIL_HASH_[0-9a-f]{8}>").isEqualTo(b);
    Map<String, String> random = new HashMap<>(m);
    random.remove(PiiPolicy.HASH_ENCRYPTED_KEYSET_FILE);
    assertThat(
            new PiiEngine(PiiPolicy.from(settings(random)))
                .redact("jane@example.com", null, new PlaceholderVault())
                .text())
        .isNotEqualTo(a);
  }

  @Test
  void aWrongPinOrAMissingKeyIsAClearErrorNamingTheSetting() throws Exception {
    Path d = newKeysets("errors");
    // the spare token has never been logged into by this process (a log-in holds for the process)
    Path wrongPin = dir.resolve("wrong.pin");
    Keysets.writeFile(wrongPin, "00000000\n", true);
    Map<String, String> wrong = production(d, "warden-kek");
    wrong.putAll(hsm.kekSettings(spare, "spare-kek"));
    wrong.put(KeyEncryptionKey.PKCS11_PIN_FILE, wrongPin.toString());
    assertThat(AuditKeys.problem(settings(wrong))).isEmpty();
    assertThat(AuditKeys.loadProblem(settings(wrong)))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains(KeyEncryptionKey.PKCS11_PIN_FILE)
                    .contains("CKR_PIN_INCORRECT")
                    .doesNotContain("00000000"));

    Map<String, String> missingKey = production(d, "no-such-key");
    assertThat(AuditKeys.loadProblem(settings(missingKey)))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains(KeyEncryptionKey.PKCS11_KEY_LABEL)
                    .contains("no AES secret key labelled no-such-key"));

    Map<String, String> noPinVariable = production(d, "warden-kek");
    noPinVariable.remove(KeyEncryptionKey.PKCS11_PIN_FILE);
    noPinVariable.put(KeyEncryptionKey.PKCS11_PIN_ENV, "WARDEN_TEST_NO_SUCH_PIN_VARIABLE");
    assertThatThrownBy(() -> MasterKeyset.fromSettings(settings(noPinVariable)))
        .hasMessageContaining(KeyEncryptionKey.PKCS11_PIN_ENV)
        .hasMessageContaining("WARDEN_TEST_NO_SUCH_PIN_VARIABLE");

    Map<String, String> noLibrary = production(d, "warden-kek");
    noLibrary.put(KeyEncryptionKey.PKCS11_LIBRARY, dir.resolve("libmissing.so").toString());
    assertThatThrownBy(() -> MasterKeyset.fromSettings(settings(noLibrary)))
        .hasMessageContaining(KeyEncryptionKey.PKCS11_LIBRARY);

    // development mode does not loosen any of this: the keysets are configured, so they are used
    Map<String, String> dev = new HashMap<>(missingKey);
    dev.put(DevelopmentMode.KEY, "true");
    assertThat(AuditKeys.loadProblem(settings(dev))).isPresent();
  }

  private static SubjectKeys subjectKeys(MasterKeyset master, InMemorySubjectKeyStore store) {
    return new SubjectKeys(master, store, 100, Duration.ofMinutes(5), Clock.systemUTC());
  }
}
