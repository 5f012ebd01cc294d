package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.RedactionFailedRefusal;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PiiEngineTest {

  private static final String KEY = "sk-proj-AbCdEf1234567890GhIjKlMnOpQrStUvWxYz_abcdEFGH12";

  @Test
  void placeholdersAreStablePerValueAndNumberedPerType() {
    PiiEngine engine = new PiiEngine(PiiPolicy.defaults());
    PlaceholderVault vault = new PlaceholderVault();
    TextRedaction r =
        engine.redact(
            "Mail jane@example.com, then bob@example.org, then jane@example.com again;"
                + " call (415) 555-2671.",
            null,
            vault);
    assertThat(r.text())
        .isEqualTo("Mail <EMAIL_1>, then <EMAIL_2>, then <EMAIL_1> again; call <PHONE_1>.");
    assertThat(r.counts()).containsEntry("EMAIL", 3).containsEntry("PHONE", 1);
    // same vault, later turn: same numbering
    assertThat(engine.redact("Reply to bob@example.org", null, vault).text())
        .isEqualTo("Reply to <EMAIL_2>");
    assertThat(vault.lookup("<EMAIL_1>")).contains("jane@example.com");
    assertThat(vault.lookup("<EMAIL_9>")).isEmpty();
  }

  @Test
  void textWithoutPiiIsReturnedUnchanged() {
    PiiEngine engine = new PiiEngine(PiiPolicy.defaults());
    String text = "Nothing to see in version 1.2.3.4 of the 2024 report.";
    TextRedaction r = engine.redact(text, null, new PlaceholderVault());
    assertThat(r.text()).isSameAs(text);
    assertThat(r.changed()).isFalse();
  }

  @Test
  void maskAction() {
    PiiEngine engine =
        new PiiEngine(
            TestSettings.policy(
                "warden.pii.action.email", "mask",
                "warden.pii.action.card", "mask",
                "warden.pii.action.ssn", "mask",
                "warden.pii.action.phone", "mask"));
    String out =
        engine
            .redact(
                "jane@example.com 4111 1111 1111 1111 123-45-6789 (415) 555-2671",
                null,
                new PlaceholderVault())
            .text();
    assertThat(out).isEqualTo("j***@example.com ****1111 ***-**-6789 (***) ***-2671");
  }

  @Test
  void hashActionGivesEqualTokensForEqualValuesUnderOneKey() {
    PiiPolicy policy =
        TestSettings.policy(
            "warden.pii.action.email", "hash", "warden.pii.hash.key", "0123456789abcdef-key");
    PiiEngine a = new PiiEngine(policy);
    PiiEngine b = new PiiEngine(policy);
    String first = a.redact("x jane@example.com y", null, new PlaceholderVault()).text();
    String second = b.redact("jane@example.com", null, new PlaceholderVault()).text();
    assertThat(first).matches("x <EMAIL_HASH_[0-9a-f]{8}> y");
    assertThat(second).isEqualTo(first.substring(2, first.length() - 2));
    String other = a.redact("bob@example.com", null, new PlaceholderVault()).text();
    assertThat(other).isNotEqualTo(second);
    PiiEngine otherKey =
        new PiiEngine(
            TestSettings.policy(
                "warden.pii.action.email", "hash", "warden.pii.hash.key", "another-key-0123456"));
    assertThat(otherKey.redact("jane@example.com", null, new PlaceholderVault()).text())
        .isNotEqualTo(second);
  }

  @Test
  void blockThrowsNamingTheTypeNeverTheValue() {
    PiiEngine engine = new PiiEngine(PiiPolicy.defaults());
    assertThatThrownBy(() -> engine.redact("my key is " + KEY, null, new PlaceholderVault()))
        .isInstanceOf(PiiBlockedRefusal.class)
        .hasMessageContaining("SECRET")
        .hasMessageNotContaining(KEY)
        .hasMessageNotContaining("sk-")
        .satisfies(e -> assertThat(((PiiBlockedRefusal) e).entityType()).isEqualTo("SECRET"));
    PiiEngine blockEmail = new PiiEngine(TestSettings.policy("warden.pii.action.email", "block"));
    assertThatThrownBy(() -> blockEmail.redact("jane@example.com", null, new PlaceholderVault()))
        .isInstanceOf(PiiBlockedRefusal.class)
        .hasMessageContaining("EMAIL")
        .hasMessageNotContaining("jane");
  }

  @Test
  void allowLeavesTheValue() {
    PiiEngine engine = new PiiEngine(TestSettings.policy("warden.pii.action.ip", "allow"));
    assertThat(engine.redact("host 10.0.0.1", null, new PlaceholderVault()).text())
        .isEqualTo("host 10.0.0.1");
  }

  @Test
  void failsClosedWhenADetectorThrows() {
    Detector broken =
        (text, out) -> {
          throw new NumberFormatException("For input string: \"" + text + "\"");
        };
    PiiEngine engine = new PiiEngine(PiiPolicy.defaults(), List.of(broken));
    String secret = "jane@example.com";
    assertThatThrownBy(() -> engine.redact(secret, null, new PlaceholderVault()))
        .isInstanceOf(RedactionFailedRefusal.class)
        .hasMessageNotContaining(secret)
        .satisfies(
            e -> {
              assertThat(e.getCause()).isNotNull();
              assertThat(e.getCause().getMessage())
                  .contains("NumberFormatException")
                  .doesNotContain(secret);
            });
    RequestRedactor redactor = new RequestRedactor(engine);
    assertThatThrownBy(
            () ->
                redactor.redact(
                    dev.warden.openai.model.ChatCompletionRequest.builder()
                        .model("m")
                        .messages(dev.warden.openai.model.ChatMessage.user(secret))
                        .build(),
                    null,
                    new PlaceholderVault()))
        .isInstanceOf(RedactionFailedRefusal.class);
  }

  @Test
  void failsClosedWhenADetectorReportsARangeOutsideTheText() {
    Detector bad = (text, out) -> out.add(new Detection(0, text.length() + 5, EntityType.EMAIL, 1));
    PiiEngine engine = new PiiEngine(PiiPolicy.defaults(), List.of(bad));
    assertThatThrownBy(() -> engine.redact("abc", null, new PlaceholderVault()))
        .isInstanceOf(RedactionFailedRefusal.class);
  }

  @Test
  void catastrophicCustomPatternFailsClosed() {
    PiiEngine engine =
        new PiiEngine(TestSettings.policy("warden.pii.tenant.t1.pattern.SLOW", "(.*a){12}b"));
    String text = "a".repeat(30) + "!";
    assertThatThrownBy(() -> engine.redact(text, "t1", new PlaceholderVault()))
        .isInstanceOf(RedactionFailedRefusal.class);
    // other tenants do not run it
    assertThat(engine.redact(text, "t2", new PlaceholderVault()).text()).isEqualTo(text);
  }

  @Test
  void tenantPatternsDictionariesAndActions() {
    PiiEngine engine =
        new PiiEngine(
            TestSettings.policy(
                "warden.pii.tenant.acme.pattern.EMPLOYEE_ID", "EMP-\\d{6}",
                "warden.pii.tenant.acme.dictionary.CUSTOMER", "Globex, Initech Corp",
                "warden.pii.tenant.acme.action.customer", "mask",
                "warden.pii.pattern.TICKET", "TCK-\\d{4}"));
    PlaceholderVault vault = new PlaceholderVault();
    assertThat(
            engine
                .redact("EMP-004521 met initech corp about TCK-1234 and Globex.", "acme", vault)
                .text())
        .isEqualTo("<EMPLOYEE_ID_1> met ******* **** about <TICKET_1> and ******.");
    assertThat(engine.redact("EMP-004521 and TCK-1234", "other", vault).text())
        .isEqualTo("EMP-004521 and <TICKET_1>");
  }

  @Test
  void overlapsKeepTheHighestPriorityThenTheLongestMatch() {
    // a custom pattern that overlaps an e-mail address wins (higher priority)
    PiiEngine engine =
        new PiiEngine(TestSettings.policy("warden.pii.pattern.USER_REF", "user:[a-z.]+@[a-z.]+"));
    assertThat(engine.redact("ref user:jane@example.com", null, new PlaceholderVault()).text())
        .isEqualTo("ref <USER_REF_1>");
    // an IPv4 tail inside an IPv6 address is replaced once, as part of the longer match
    PiiEngine plain = new PiiEngine(PiiPolicy.defaults());
    assertThat(plain.redact("at ::ffff:192.0.2.128 now", null, new PlaceholderVault()).text())
        .isEqualTo("at <IP_1> now");
    // a secret swallows everything inside it
    assertThat(
            plain.detect(
                "-----BEGIN PRIVATE KEY-----\njane@example.com 10.0.0.1\n"
                    + "-----END PRIVATE KEY-----",
                null))
        .singleElement()
        .satisfies(d -> assertThat(d.type()).isEqualTo(EntityType.SECRET));
  }

  @Test
  void invalidConfigurationNamesTheKey() {
    assertThatThrownBy(() -> TestSettings.policy("warden.pii.action.email", "shred"))
        .hasMessageContaining("warden.pii.action.email");
    assertThatThrownBy(() -> TestSettings.policy("warden.pii.tenant.a.pattern.X", "(unclosed"))
        .hasMessageContaining("warden.pii.tenant.a.pattern.X");
    assertThatThrownBy(() -> TestSettings.policy("warden.pii.hash.key", "short"))
        .hasMessageContaining("warden.pii.hash.key");
    assertThatThrownBy(() -> TestSettings.policy("warden.pii.phone.default-region", "XX"))
        .hasMessageContaining("default-region");
  }

  @Test
  void defaultsAreSafe() {
    PiiPolicy p = PiiPolicy.defaults();
    assertThat(p.action(EntityType.SECRET, null)).isEqualTo(PiiAction.BLOCK);
    for (EntityType t : EntityType.BUILT_IN) {
      if (!t.equals(EntityType.SECRET)) {
        assertThat(p.action(t, "any")).isEqualTo(PiiAction.PLACEHOLDER);
      }
    }
    assertThat(p.defaultRegion()).isEqualTo("US");
    assertThat(p.enabled()).isTrue();
  }

  @Test
  void defaultRegionIsConfigurable() {
    PiiEngine de = new PiiEngine(TestSettings.policy("warden.pii.phone.default-region", "DE"));
    assertThat(de.redact("Ruf an: 030 12345678", null, new PlaceholderVault()).text())
        .isEqualTo("Ruf an: <PHONE_1>");
  }

  @Test
  void disabledRedactionPassesTextThrough() {
    PiiEngine engine = new PiiEngine(TestSettings.policy("warden.pii.enabled", "false"));
    assertThat(engine.redact("jane@example.com " + KEY, null, new PlaceholderVault()).text())
        .isEqualTo("jane@example.com " + KEY);
  }

  @Test
  void customPatternDoesNotMatchAcrossEntireText() {
    Pattern p = Pattern.compile("X\\d");
    PatternDetector d = new PatternDetector(EntityType.of("thing"), p);
    List<Detection> out = new java.util.ArrayList<>();
    d.detect("X1 and X2", out);
    assertThat(out).extracting(Detection::start).containsExactly(0, 7);
  }
}
