package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import dev.warden.call.CallCompanion;
import dev.warden.call.Caller;
import dev.warden.call.Callers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuditWriterTest {
  private final AuditTestKeys fixture = new AuditTestKeys();

  /** The batches appended, in order; fails while {@code failing} is set. */
  private final List<List<GroupCommit.Entry>> batches = new ArrayList<>();

  private RuntimeException failing;
  private final AtomicInteger maxBatchReads = new AtomicInteger();

  private final AuditWriter writer =
      new AuditWriter(
          fixture.records,
          new Callers(),
          entries -> {
            if (failing != null) {
              throw failing;
            }
            batches.add(entries);
            List<ChainRecord> out = new ArrayList<>();
            ChainHead head = ChainHead.GENESIS;
            for (GroupCommit.Entry e : entries) {
              ChainRecord r = ChainHasher.next(head, e.record().recordId, e.content());
              head = r.head();
              out.add(r);
            }
            return out;
          },
          () -> {
            maxBatchReads.incrementAndGet();
            return 8;
          });

  @Test
  void aFinishedCallIsAppendedWithItsCanonicalContent() {
    writer.onCallFinished(AuditRecordFactoryTest.call("jane", "question", null));

    assertThat(batches).hasSize(1);
    GroupCommit.Entry e = batches.get(0).get(0);
    assertThat(e.record().requestId).isEqualTo("req-1");
    assertThat(e.content()).isEqualTo(AuditRecords.canonical(e.record()));
    assertThat(fixture.request(e.record())).isEqualTo("\"question\"");
  }

  @Test
  void theRowsThatBelongWithACallAreAppendedWithItsRecord() {
    List<CallCompanion> companions = List.of(call -> "usage of " + call.requestId(), call -> null);
    AuditWriter withCompanions =
        new AuditWriter(
            fixture.records,
            new Callers(),
            entries -> {
              batches.add(entries);
              return List.of(
                  ChainHasher.next(
                      ChainHead.GENESIS,
                      entries.get(0).record().recordId,
                      entries.get(0).content()));
            },
            () -> 8,
            companions);

    withCompanions.onCallFinished(AuditRecordFactoryTest.call("jane", "question", null));
    writer.recordAccess(AuditReader.READ, Caller.ANONYMOUS, null);

    assertThat(batches.get(0).get(0).companions()).containsExactly("usage of req-1");
    // records that are not calls have none
    assertThat(batches.get(1).get(0).companions()).isEmpty();
  }

  @Test
  void aReadIsRecordedWithItsReasonEncryptedAndIndexedByTheRecordItRead() {
    Caller auditor = new Caller("audrey", "acme", null);

    AuditRecord read = writer.recordRead(auditor, "rec-7", "case 42: customer complaint");
    writer.recordRead(auditor, "rec-8", null);

    GroupCommit.Entry e = batches.get(0).get(0);
    assertThat(e.record()).isSameAs(read);
    assertThat(read.operation).isEqualTo(AuditReader.READ);
    assertThat(read.principal).isEqualTo("audrey");
    assertThat(read.tenant).isEqualTo("acme");
    assertThat(read.keySubject).isEqualTo(AuditRecords.tenantKeyId("acme"));
    assertThat(fixture.request(read))
        .isEqualTo("{\"record_ids\":[\"rec-7\"],\"reason\":\"case 42: customer complaint\"}");
    assertThat(AuditReader.reasonOf(AuditView.Field.of(fixture.request(read))))
        .isEqualTo("case 42: customer complaint");
    assertThat(e.companions())
        .singleElement()
        .isInstanceOfSatisfying(
            AuditReadEntity.class,
            row -> {
              assertThat(row.readRecordId).isEqualTo(read.recordId);
              assertThat(row.recordId).isEqualTo("rec-7");
              assertThat(row.createdAt).isEqualTo(read.createdAt);
            });
    AuditRecord withoutReason = batches.get(1).get(0).record();
    assertThat(fixture.request(withoutReason)).isEqualTo("{\"record_ids\":[\"rec-8\"]}");
    assertThat(AuditReader.reasonOf(AuditView.Field.of(fixture.request(withoutReason)))).isNull();
  }

  @Test
  void aReasonIsReadOnlyFromAJsonObjectsStringMember() {
    assertThat(AuditReader.reasonOf(AuditView.Field.ABSENT)).isNull();
    assertThat(AuditReader.reasonOf(AuditView.Field.ERASED)).isNull();
    assertThat(AuditReader.reasonOf(AuditView.Field.of("not json"))).isNull();
    assertThat(AuditReader.reasonOf(AuditView.Field.of("[\"reason\"]"))).isNull();
    assertThat(AuditReader.reasonOf(AuditView.Field.of("{\"reason\":7}"))).isNull();
    assertThat(AuditReader.reasonOf(AuditView.Field.of("{\"reason\":\"why\"}"))).isEqualTo("why");
  }

  @Test
  void aRecordThatCannotBeWrittenFailsTheCall() {
    failing = new IllegalStateException("database down");

    assertThatThrownBy(
            () -> writer.onCallFinished(AuditRecordFactoryTest.call(null, "question", null)))
        .isInstanceOf(AuditWriteException.class)
        .hasMessageContaining("req-1")
        .hasCause(failing);
    assertThatThrownBy(() -> writer.recordAccess(AuditReader.READ, Caller.ANONYMOUS, null))
        .isInstanceOf(AuditWriteException.class);
  }

  @Test
  void theRowsOfACallWhoseRecordCannotBeWrittenAreHandedBackToTheCompanions() {
    List<Object> abandoned = new ArrayList<>();
    CallCompanion settlement =
        new CallCompanion() {
          @Override
          public Object companionOf(dev.warden.call.CallFinished call) {
            return "settlement of " + call.requestId();
          }

          @Override
          public void abandoned(Object row) {
            abandoned.add(row);
          }
        };
    AuditWriter withCompanions =
        new AuditWriter(
            fixture.records,
            new Callers(),
            entries -> {
              throw new IllegalStateException("constraint violated");
            },
            () -> 8,
            List.of(settlement, call -> "usage of " + call.requestId()));

    assertThatThrownBy(
            () -> withCompanions.onCallFinished(AuditRecordFactoryTest.call("jane", "q", null)))
        .isInstanceOf(AuditWriteException.class);
    // each companion is told of every row; the settlement's writes its own on its own
    assertThat(abandoned).containsExactly("settlement of req-1", "usage of req-1");
  }

  @Test
  void aRecordKeptInTheJournalFailsTheCallWithoutHandingItsRowsBack() {
    List<Object> abandoned = new ArrayList<>();
    AuditWriter withCompanions =
        new AuditWriter(
            fixture.records,
            new Callers(),
            entries -> {
              throw new AuditKeptException(entries.size(), new IllegalStateException("away"));
            },
            () -> 8,
            List.of(
                new CallCompanion() {
                  @Override
                  public Object companionOf(dev.warden.call.CallFinished call) {
                    return "settlement";
                  }

                  @Override
                  public void abandoned(Object row) {
                    abandoned.add(row);
                  }
                }));

    assertThatThrownBy(
            () -> withCompanions.onCallFinished(AuditRecordFactoryTest.call("jane", "q", null)))
        .isInstanceOf(AuditKeptException.class);
    assertThat(abandoned).isEmpty();
  }

  @Test
  void anOperationNamesTheCurrentCallerAndAnAccessItsActor() {
    AuditRecord hold =
        Caller.runAs(
            new Caller("dana", "acme", null),
            () -> writer.appendOperation("audit.hold.place", "CDI", "acme", "p-1", null));
    AuditRecord read =
        writer.recordAccess(
            AuditReader.READ, new Caller("erin", "globex", null), Map.of("record_ids", List.of()));

    assertThat(hold.principal).isEqualTo("dana");
    assertThat(hold.entryPoint).isEqualTo("CDI");
    assertThat(hold.dataSubject).isEqualTo("p-1");
    assertThat(read.principal).isEqualTo("erin");
    assertThat(read.tenant).isEqualTo("globex");
    assertThat(read.entryPoint).isEqualTo("API");
    assertThat(read.keySubject).isEqualTo("tenant:globex");
    assertThat(fixture.request(read)).isEqualTo("{\"record_ids\":[]}");
    assertThat(batches).extracting(b -> b.get(0).record()).containsExactly(hold, read);
  }

  @Test
  void theBatchSizeIsReadOnceAtTheFirstAppend() {
    assertThat(maxBatchReads).hasValue(0);
    writer.recordAccess(AuditReader.READ, Caller.ANONYMOUS, null);
    writer.recordAccess(AuditReader.READ, Caller.ANONYMOUS, null);
    assertThat(maxBatchReads).hasValue(1);
  }
}
