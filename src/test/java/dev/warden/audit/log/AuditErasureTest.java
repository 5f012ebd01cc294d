package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import dev.warden.cluster.Invalidation;
import dev.warden.cluster.Invalidations;
import dev.warden.crypto.SubjectErasedException;
import dev.warden.crypto.SubjectKeys;
import dev.warden.crypto.SubjectPseudonyms;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditErasureTest {
  private final AuditTestKeys fixture = new AuditTestKeys();
  private final List<AuditRecord> appended = new ArrayList<>();
  private final AuditWriter writer =
      new AuditWriter(
          fixture.records,
          new Callers(),
          entries -> {
            entries.forEach(e -> appended.add(e.record()));
            return entries.stream()
                .map(e -> ChainHasher.next(ChainHead.GENESIS, e.record().recordId, e.content()))
                .toList();
          },
          () -> 1);
  private final List<Invalidation> announced = new ArrayList<>();
  private final Invalidations invalidations =
      new Invalidations() {
        @Override
        public void announce(String topic, String item) {
          announced.add(new Invalidation(topic, item));
        }
      };
  private final AuditErasure erasure =
      new AuditErasure(fixture.keys, fixture.pseudonyms, writer, invalidations);

  /** A call's record of {@code subject} of tenant acme. */
  private AuditRecord recordOf(String subject) {
    return fixture.records.forCall(AuditRecordFactoryTest.call(subject, "about " + subject, null));
  }

  @Test
  void erasingShredsOnlyTheSubjectsKeyAndIsRecorded() {
    AuditRecord jane = recordOf("jane");
    AuditRecord john = recordOf("john");

    boolean existed =
        Caller.runAs(new Caller("dpo", "acme", null), () -> erasure.erase("acme", "jane"));

    assertThat(existed).isTrue();
    assertThat(AuditReaderTest.viewOf(fixture, jane).request().state())
        .isEqualTo(AuditView.State.ERASED);
    assertThat(AuditReaderTest.viewOf(fixture, john).request().value()).isEqualTo("\"about john\"");
    assertThat(appended).hasSize(1);
    AuditRecord r = appended.get(0);
    assertThat(r.operation).isEqualTo(AuditErasure.ERASE);
    assertThat(r.principal).isEqualTo("dpo");
    assertThat(r.tenant).isEqualTo("acme");
    assertThat(r.dataSubject).isEqualTo(jane.dataSubject);
    assertThat(r.keySubject).isEqualTo("tenant:acme");
    assertThat(r.requestEnc).isNull();
  }

  @Test
  void theKeyUnderTheLegacyPseudonymIsErasedToo() {
    String legacyKey =
        AuditRecords.subjectKeyId(SubjectPseudonyms.legacyPseudonym("default", "old"));
    fixture.keys.encrypt(legacyKey, new byte[] {1}, new byte[] {2});

    boolean existed = Caller.runAs(Caller.ANONYMOUS, () -> erasure.erase("old"));

    assertThat(existed).isTrue();
    assertThat(fixture.keys.erase(legacyKey)).isFalse();
    assertThat(appended).extracting(r -> r.tenant).containsExactly(AuditWriter.TENANT);
  }

  @Test
  void anErasureOnAnotherServerEndsThisServersUseOfTheKeyWhenItsInvalidationArrives() {
    AuditRecord jane = recordOf("jane");
    // this server has jane's key in its cache
    assertThat(fixture.request(jane)).isEqualTo("\"about jane\"");
    SubjectKeys otherServer = fixture.otherServersKeys();
    AuditErasure otherErasure =
        new AuditErasure(otherServer, fixture.pseudonyms, writer, invalidations);

    Caller.runAs(new Caller("dpo", "acme", null), () -> otherErasure.erase("acme", "jane"));

    // it announced both of jane's possible keys to every server
    assertThat(announced)
        .containsExactly(
            new Invalidation(AuditErasure.TOPIC, jane.keySubject),
            new Invalidation(
                AuditErasure.TOPIC,
                AuditRecords.subjectKeyId(SubjectPseudonyms.legacyPseudonym("acme", "jane"))));
    // until it arrives, this server's cache still holds the key; an unrelated one changes nothing
    assertThat(fixture.request(jane)).isEqualTo("\"about jane\"");
    erasure.onInvalidation(new Invalidation("api-key", jane.keySubject));
    assertThat(fixture.request(jane)).isEqualTo("\"about jane\"");

    announced.forEach(erasure::onInvalidation);

    assertThatThrownBy(() -> fixture.request(jane)).isInstanceOf(SubjectErasedException.class);
  }

  @Test
  void anInvalidationOfEverythingEmptiesTheSubjectKeyCache() {
    AuditRecord jane = recordOf("jane");
    assertThat(fixture.request(jane)).isEqualTo("\"about jane\"");
    fixture.store.delete(jane.keySubject); // gone from the database
    assertThat(fixture.keys.cachedKeys()).isEqualTo(1);

    erasure.onInvalidation(Invalidation.EVERYTHING);

    assertThat(fixture.keys.cachedKeys()).isZero();
    assertThatThrownBy(() -> fixture.request(jane)).isInstanceOf(SubjectErasedException.class);
  }

  @Test
  void aSubjectWithoutAKeyIsStillRecordedAsErased() {
    assertThat(Caller.runAs(Caller.ANONYMOUS, () -> erasure.erase("acme", "nobody"))).isFalse();
    assertThat(appended).extracting(r -> r.operation).containsExactly(AuditErasure.ERASE);
  }
}
