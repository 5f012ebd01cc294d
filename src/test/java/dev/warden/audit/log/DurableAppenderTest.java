package dev.warden.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.chain.ChainHasher;
import dev.warden.audit.chain.ChainHead;
import dev.warden.audit.chain.ChainRecord;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableAppenderTest {
  private final AuditTestKeys fixture = new AuditTestKeys();

  @TempDir Path dir;

  /** A companion row of the test's own (Warden's package: the journal admits it). */
  record Row(String name, java.math.BigDecimal amount) implements Serializable {}

  /** A database that is away while {@code away} is set; records what was appended, and how. */
  private static final class Database {
    volatile boolean away;
    ChainHead head = ChainHead.GENESIS;
    final List<String> firstAttempts = new ArrayList<>();
    final List<String> laterAttempts = new ArrayList<>();
    final List<Object> companions = new ArrayList<>();
    final List<String> chain = new ArrayList<>();

    List<ChainRecord> first(List<GroupCommit.Entry> entries) {
      entries.forEach(e -> firstAttempts.add(e.record().recordId));
      return append(entries);
    }

    List<ChainRecord> again(List<GroupCommit.Entry> entries) {
      entries.forEach(e -> laterAttempts.add(e.record().recordId));
      return append(entries);
    }

    private List<ChainRecord> append(List<GroupCommit.Entry> entries) {
      if (away) {
        throw new IllegalStateException(
            "commit failed", new SQLException("terminating connection", "57P01"));
      }
      List<ChainRecord> out = new ArrayList<>();
      for (GroupCommit.Entry e : entries) {
        ChainRecord r = ChainHasher.next(head, e.record().recordId, e.content());
        head = r.head();
        chain.add(e.record().recordId);
        companions.addAll(e.companions());
        out.add(r);
      }
      return out;
    }
  }

  /** A clock that moves when the retry sleeps; the database comes back at {@code backAt}. */
  private static final class Clock {
    final AtomicLong nanos = new AtomicLong();
    Duration backAt = Duration.ofDays(1);
    Database db;

    void sleep(Duration d) {
      nanos.addAndGet(d.toNanos());
      if (nanos.get() >= backAt.toNanos()) {
        db.away = false;
      }
    }
  }

  private GroupCommit.Entry entry(String subject, Object... companions) {
    AuditRecord r =
        fixture.records.forCall(
            AuditRecordFactoryTest.call(subject, Map.of("q", "hello " + subject), "requested"));
    return new GroupCommit.Entry(r, AuditRecords.canonical(r), List.of(companions));
  }

  private DurableAppender appender(Database db, Clock clock, Duration window) {
    clock.db = db;
    return new DurableAppender(
        db::first,
        db::again,
        new AuditJournal(dir.resolve("journal")),
        () -> window,
        clock::sleep,
        clock.nanos::get);
  }

  @Test
  void aBatchThatMeetsARestartIsWrittenWhenTheDatabaseIsBackWithinTheWindow() {
    Database db = new Database();
    Clock clock = new Clock();
    DurableAppender appender = appender(db, clock, Duration.ofSeconds(10));
    db.away = true;
    clock.backAt = Duration.ofMillis(300);
    GroupCommit.Entry a = entry("jane", new Row("usage", java.math.BigDecimal.ONE));
    GroupCommit.Entry b = entry("joe");

    List<ChainRecord> written = appender.append(List.of(a, b));

    assertThat(written)
        .extracting(ChainRecord::recordId)
        .containsExactly(a.record().recordId, b.record().recordId);
    assertThat(db.chain).containsExactly(a.record().recordId, b.record().recordId);
    // the first attempt cannot have committed; the later ones may find it did
    assertThat(db.firstAttempts).containsExactly(a.record().recordId, b.record().recordId);
    assertThat(db.laterAttempts).startsWith(a.record().recordId, b.record().recordId);
    assertThat(appender.batchesWaiting()).isZero();
  }

  @Test
  void aBatchThatOutlastsTheWindowIsKeptInTheJournalAndWrittenWhenTheDatabaseReturns()
      throws IOException {
    Database db = new Database();
    Clock clock = new Clock();
    DurableAppender appender = appender(db, clock, Duration.ofSeconds(2));
    db.away = true;
    GroupCommit.Entry a = entry("jane", new Row("usage", new java.math.BigDecimal("0.0123")));
    GroupCommit.Entry b = entry("joe");

    assertThatThrownBy(() -> appender.append(List.of(a, b)))
        .isInstanceOf(AuditKeptException.class)
        .isInstanceOf(AuditWriteException.class)
        .satisfies(e -> assertThat(((AuditKeptException) e).records()).isEqualTo(2));
    assertThat(db.chain).isEmpty();
    assertThat(appender.batchesWaiting()).isPositive();
    try (var files = Files.list(dir.resolve("journal"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .singleElement()
          .asString()
          .endsWith(".journal");
    }

    // still away: the journal keeps its batch
    assertThat(appender.replay()).isZero();
    assertThat(appender.batchesWaiting()).isPositive();

    db.away = false;
    assertThat(appender.replay()).isEqualTo(2);
    assertThat(appender.batchesWaiting()).isZero();
    assertThat(db.chain).containsExactly(a.record().recordId, b.record().recordId);
    assertThat(db.companions).containsExactly(new Row("usage", new java.math.BigDecimal("0.0123")));
    // replays may find their records in: they use the appender that skips those
    assertThat(db.laterAttempts).endsWith(a.record().recordId, b.record().recordId);
  }

  @Test
  void aRecordReadBackFromTheJournalHashesAsTheOneKept() throws IOException {
    AuditJournal journal = new AuditJournal(dir);
    GroupCommit.Entry a = entry("jane", new Row("usage", java.math.BigDecimal.TEN));
    journal.keep(List.of(a));

    AuditJournal.Batch batch = journal.read(journal.waiting().get(0));

    GroupCommit.Entry back = batch.entries().get(0);
    assertThat(back.record()).isNotSameAs(a.record());
    assertThat(back.record().recordId).isEqualTo(a.record().recordId);
    assertThat(back.record().requestEnc).isEqualTo(a.record().requestEnc);
    assertThat(back.content()).isEqualTo(a.content());
    assertThat(ChainHasher.next(ChainHead.GENESIS, back.record().recordId, back.content()).hash())
        .isEqualTo(ChainHasher.next(ChainHead.GENESIS, a.record().recordId, a.content()).hash());
    assertThat(back.companions()).containsExactly(new Row("usage", java.math.BigDecimal.TEN));

    journal.done(batch);
    assertThat(journal.waiting()).isEmpty();
  }

  @Test
  void theJournalReadsOnlyWardensAndTheJdksValueClasses() throws IOException {
    Files.createDirectories(dir);
    Path planted = dir.resolve("00000000000000000001-planted.journal");
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(planted))) {
      out.writeObject(new ArrayList<>(List.of(java.net.URI.create("http://example.invalid/"))));
    }
    AuditJournal journal = new AuditJournal(dir);
    assertThat(journal.waiting()).containsExactly(planted);
    assertThatThrownBy(() -> journal.read(planted)).isInstanceOf(IOException.class);
  }

  @Test
  void aFailureThatIsNotAnOutageIsNotKept() {
    Database db = new Database();
    Clock clock = new Clock();
    DurableAppender appender =
        new DurableAppender(
            entries -> {
              throw new IllegalStateException(
                  "constraint", new SQLException("duplicate key", "23505"));
            },
            db::again,
            new AuditJournal(dir.resolve("journal")),
            () -> Duration.ofSeconds(10),
            clock::sleep,
            clock.nanos::get);

    assertThatThrownBy(() -> appender.append(List.of(entry("jane"))))
        .isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(AuditWriteException.class);
    assertThat(appender.batchesWaiting()).isZero();
    assertThat(db.laterAttempts).isEmpty();
  }
}
