package dev.warden.audit.log;

import dev.warden.audit.chain.ChainRecord;
import dev.warden.audit.chain.Checkpoint;
import dev.warden.audit.chain.CheckpointSigner;
import dev.warden.audit.chain.VerificationResult;
import dev.warden.crypto.InMemorySubjectKeyStore;
import dev.warden.crypto.Keysets;
import dev.warden.crypto.MasterKeyset;
import dev.warden.crypto.SubjectKeys;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.hibernate.cfg.Configuration;

/**
 * One "server's" persistence stack outside Liberty, for the benchmark and the shared-database test:
 * its own Hibernate {@link EntityManagerFactory} with its own JDBC connection pool, the real
 * entities, the real {@link ChainAppender}, {@link StreamRecovery} and {@link AuditVerifier}, each
 * append in a resource-local transaction (what {@code @Transactional(REQUIRES_NEW)} does in the
 * server). Two instances on one database are two servers sharing it. Not thread-confined: every
 * call opens its own entity manager.
 */
public final class SeAuditStack implements AutoCloseable {
  private final EntityManagerFactory emf;
  private final CheckpointSigner signer;
  private final SubjectKeys keys;
  private final GroupCommit group;
  private volatile int chains = 1;

  /** Connection settings of a database. */
  public record Db(String url, String user, String password) {
    /** An in-memory H2 database (shared by every stack of this JVM), in PostgreSQL mode. */
    public static Db h2(String name) {
      return new Db(
          "jdbc:h2:mem:"
              + name
              + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
          "warden",
          "");
    }

    /**
     * A PostgreSQL database on 127.0.0.1:5432 (user postgres, no password), dropped and created
     * afresh.
     */
    public static Db freshPostgres(String name) throws SQLException {
      if (!name.matches("warden_audit[a-z_]*")) {
        throw new IllegalArgumentException("only warden_audit* databases: " + name);
      }
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("drop database if exists " + name + " with (force)");
        s.execute("create database " + name);
      }
      return new Db("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", "");
    }

    DataSource dataSource() {
      if (url.startsWith("jdbc:h2:")) {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL(url);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
      }
      org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
      ds.setURL(url);
      ds.setUser(user);
      ds.setPassword(password);
      return ds;
    }
  }

  /**
   * Migrates {@code db} (Flyway, as the server does) and opens a stack with {@code poolSize}
   * connections. Stacks that share a database must share the keysets.
   */
  public SeAuditStack(Db db, int poolSize, Keys keysets) {
    this(db, poolSize, keysets, 64);
  }

  /**
   * As {@link #SeAuditStack(Db, int, Keys)}, with group commit of at most {@code maxBatch} records
   * per transaction, or one transaction per append when {@code maxBatch} is 0.
   */
  public SeAuditStack(Db db, int poolSize, Keys keysets, int maxBatch) {
    AuditMigrations.migrateNow(db.dataSource());
    Configuration cfg =
        new Configuration()
            .addAnnotatedClass(AuditRecord.class)
            .addAnnotatedClass(ChainHeadEntity.class)
            .addAnnotatedClass(CheckpointEntity.class)
            .addAnnotatedClass(SubjectKeyEntity.class)
            .addAnnotatedClass(PurgedRangeEntity.class)
            .addAnnotatedClass(LegalHoldEntity.class)
            .addAnnotatedClass(PendingStreamEntity.class)
            .addAnnotatedClass(AuditReadEntity.class)
            .addAnnotatedClass(AuditVerificationEntity.class)
            .setProperty("hibernate.connection.url", db.url())
            .setProperty("hibernate.connection.username", db.user())
            .setProperty("hibernate.connection.password", db.password())
            .setProperty("hibernate.connection.pool_size", Integer.toString(poolSize))
            .setProperty("hibernate.hbm2ddl.auto", "validate")
            .setProperty("hibernate.jdbc.time_zone", "UTC")
            .setProperty("hibernate.show_sql", "false")
            .setProperty(MigrationsIntegrator.ENABLED, "false");
    this.emf = cfg.buildSessionFactory();
    this.signer = keysets.signer;
    this.keys = keysets.subjectKeys;
    this.group = maxBatch == 0 ? null : new GroupCommit(this::appendAll, maxBatch);
  }

  /**
   * Appends use {@code n} chains from now on (1 by default: a test that reads sequence numbers
   * knows where each record goes).
   */
  public SeAuditStack chains(int n) {
    this.chains = n;
    return this;
  }

  /** The keysets of one deployment (shared by its "servers"). */
  public static final class Keys {
    final CheckpointSigner signer;
    final String macJson;
    final SubjectKeys subjectKeys;

    /** Fresh keysets. */
    public Keys() {
      this(Keysets.toJson(Keysets.generateMac()));
    }

    /**
     * The checkpoint/head MAC keyset from its JSON (what another process must share to verify the
     * chain); a fresh subject master key (reading records is not needed to verify them).
     */
    public Keys(String macKeysetJson) {
      this.macJson = macKeysetJson;
      this.signer = CheckpointSigner.of(Keysets.parseJson(macKeysetJson, "test MAC keyset"));
      this.subjectKeys =
          new SubjectKeys(
              MasterKeyset.of(Keysets.generateAead()),
              new InMemorySubjectKeyStore(),
              10_000,
              Duration.ofMinutes(5),
              Clock.systemUTC());
    }

    /** Keysets loaded elsewhere (e.g. unwrapped by an HSM): the signer and the subject keys. */
    public Keys(CheckpointSigner signer, SubjectKeys subjectKeys) {
      this.macJson = null;
      this.signer = signer;
      this.subjectKeys = subjectKeys;
    }

    /** The MAC keyset as JSON, to hand to another process. */
    public String macKeysetJson() {
      return macJson;
    }
  }

  /**
   * Builds a record as {@link AuditRecordFactory} does for a call (metadata, the request and answer
   * encrypted under the subject's data key) and appends it in its own transaction.
   *
   * @return the chain record written
   */
  public ChainRecord appendCall(String subject, String request, String answer) {
    return append(callRecord(subject, request, answer));
  }

  /**
   * The metadata a benchmark gives a call's record ({@link #appendCall(String, String, String,
   * Shape)}).
   */
  public record Shape(
      Instant at,
      String requestId,
      String principal,
      String tenant,
      String model,
      String outcome,
      String errorType,
      String piiFound,
      String guardAction,
      String promptId,
      String promptVersion,
      String operation,
      String entryPoint,
      int latencyMs) {}

  /**
   * {@link #appendCall(String, String, String)} with the record's metadata (time, caller, model,
   * outcome, ...) from {@code shape}, before it is encrypted and chained.
   */
  public ChainRecord appendCall(String subject, String request, String answer, Shape shape) {
    AuditRecord r = callRecord(subject, request, answer);
    r.createdAt = shape.at().truncatedTo(ChronoUnit.MICROS);
    r.startedAt = r.createdAt.minusMillis(shape.latencyMs());
    r.requestId = shape.requestId();
    r.principal = shape.principal();
    r.tenant = shape.tenant();
    r.requestedModel = shape.model();
    r.answeredBy = shape.model();
    r.outcome = shape.outcome();
    r.errorType = shape.errorType();
    r.piiFound = shape.piiFound();
    r.guardAction = shape.guardAction();
    r.promptId = shape.promptId();
    r.promptVersion = shape.promptVersion();
    r.operation = shape.operation();
    r.entryPoint = shape.entryPoint();
    r.latencyMs = shape.latencyMs();
    return append(r);
  }

  /** {@link AuditSearch#search} on this stack's database, in a transaction of its own. */
  public List<AuditRecord> search(AuditSearch.Query query, int offset, int limit) {
    return inTransaction(
        em -> {
          AuditSearch search = new AuditSearch();
          search.em = em;
          return search.search(query, offset, limit);
        });
  }

  private ChainRecord append(AuditRecord r) {
    GroupCommit.Entry entry = new GroupCommit.Entry(r, AuditRecords.canonical(r));
    return group == null ? appendAll(List.of(entry)).get(0) : group.append(entry);
  }

  /** Commits the pending row of a stream, as {@link AuditOutbox#pending} does. */
  public void addPending(String owner, String requestId, Instant startedAt) {
    PendingStreamEntity row = new PendingStreamEntity();
    row.requestId = requestId;
    row.owner = owner;
    row.operation = "chat.completions";
    row.entryPoint = "V1";
    row.principal = "dev-user";
    row.tenant = "default";
    row.requestedModel = "gpt-4o-mini";
    row.startedAt = startedAt.truncatedTo(ChronoUnit.MICROS);
    row.streamed = true;
    inTransaction(
        em -> {
          em.persist(row);
          return null;
        });
  }

  /** Appends the record of a stream that ended normally (which removes its pending row). */
  public ChainRecord appendStreamEnd(String requestId) {
    AuditRecord r = callRecord("subject-s", "{\"stream\":true}", "{\"answer\":1}");
    r.requestId = requestId;
    r.streamed = true;
    return append(r);
  }

  /**
   * Recovers {@code owner}'s pending rows from before {@code before} with {@link StreamRecovery}:
   * each row in its own transaction.
   */
  public int recoverInterrupted(String owner, Instant before) {
    ChainAppender perTransaction =
        new ChainAppender() {
          @Override
          List<PendingStreamEntity> pendingOwnedBefore(String o, Instant b) {
            return inTransaction(em -> appender(em).pendingOwnedBefore(o, b));
          }

          @Override
          ChainRecord appendRecovered(GroupCommit.Entry entry, String requestId) {
            return inTransaction(em -> appender(em).appendRecovered(entry, requestId));
          }
        };
    AuditRecordFactory records = new AuditRecordFactory(keys, null, Clock.systemUTC());
    return new StreamRecovery(records, perTransaction).recoverInterrupted(owner, before);
  }

  /** The pending rows left. */
  public long pendingCount() {
    return inTransaction(
        em -> em.createQuery("select count(p) from PendingStream p", Long.class).getSingleResult());
  }

  /** Every record as {request id, outcome, error type, streamed}, in sequence order. */
  public List<List<String>> records() {
    return inTransaction(
        em ->
            em
                .createQuery(
                    "select r.requestId, r.outcome, r.errorType, r.streamed from AuditRecord r"
                        + " order by r.sequence",
                    Object[].class)
                .getResultList()
                .stream()
                .map(
                    row ->
                        java.util.Arrays.asList(
                            (String) row[0], (String) row[1], (String) row[2], row[3].toString()))
                .toList());
  }

  private ChainAppender appender(EntityManager em) {
    ChainAppender appender = new ChainAppender();
    appender.em = em;
    appender.signer = signer;
    appender.chains = new AuditChains(em, chains);
    return appender;
  }

  /** Appends a call record of {@code tenant} with these metadata (for {@link AuditStats}). */
  public ChainRecord appendCall(
      String tenant,
      String model,
      String outcome,
      String errorType,
      long latencyMs,
      Instant createdAt) {
    AuditRecord r = callRecord("stats", "{}", "{}");
    r.tenant = tenant;
    r.requestedModel = model;
    r.answeredBy = "SUCCEEDED".equals(outcome) ? model : null;
    r.outcome = outcome;
    r.errorType = errorType;
    r.latencyMs = latencyMs;
    r.createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    r.startedAt = r.createdAt;
    return append(r);
  }

  /** The signer of this stack's checkpoints, heads and purged ranges. */
  CheckpointSigner signer() {
    return signer;
  }

  /** Runs {@code work} in a transaction of its own. */
  public <T> T transaction(java.util.function.Function<EntityManager, T> work) {
    return inTransaction(work);
  }

  /** {@link AuditStats#errors}. */
  public List<AuditStats.ErrorCount> errors(
      Instant from, Instant to, java.util.Collection<String> types, String tenant) {
    return inTransaction(em -> new AuditStats(em).errors(from, to, types, tenant));
  }

  /** {@link AuditStats#latency}. */
  public List<AuditStats.Latency> latency(Instant from, Instant to, String tenant) {
    return inTransaction(em -> new AuditStats(em).latency(from, to, tenant));
  }

  private AuditRecord callRecord(String subject, String request, String answer) {
    AuditRecord r = new AuditRecord();
    r.recordId = UUID.randomUUID().toString();
    r.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    r.startedAt = r.createdAt;
    r.requestId = UUID.randomUUID().toString();
    r.entryPoint = "V1";
    r.operation = "chat.completions";
    r.principal = AuditWriter.PRINCIPAL;
    r.tenant = AuditWriter.TENANT;
    r.dataSubject = subject;
    r.keySubject = AuditRecords.subjectKeyId(subject);
    r.requestedModel = "gpt-4o-mini";
    r.answeredBy = "gpt-4o-mini";
    r.attempts = 1;
    r.latencyMs = 42;
    r.tokensInput = 120;
    r.tokensOutput = 80;
    r.outcome = "SUCCEEDED";
    r.requestEnc =
        keys.encrypt(
            r.keySubject,
            request.getBytes(StandardCharsets.UTF_8),
            AuditRecords.associatedData(AuditRecords.REQUEST, r.recordId));
    r.answerEnc =
        keys.encrypt(
            r.keySubject,
            answer.getBytes(StandardCharsets.UTF_8),
            AuditRecords.associatedData(AuditRecords.ANSWER, r.recordId));
    return r;
  }

  private List<ChainRecord> appendAll(List<GroupCommit.Entry> entries) {
    return inTransaction(em -> appender(em).appendAll(entries));
  }

  /** Verifies the whole chain with {@link AuditVerifier#verify()}. */
  public VerificationResult verify() {
    return inTransaction(em -> new AuditVerifier(em, signer).verify());
  }

  /** {@link AuditVerifier#verify(AuditVerifier.Progress)}. */
  public VerificationResult verify(AuditVerifier.Progress progress) {
    return inTransaction(em -> new AuditVerifier(em, signer).verify(progress));
  }

  /** {@link AuditVerifier#recordsToCheck()}. */
  public long recordsToCheck() {
    return inTransaction(em -> new AuditVerifier(em, signer).recordsToCheck());
  }

  /**
   * Signs and stores a checkpoint of each chain's head with {@link AuditCheckpoints#checkpoint()};
   * the first chain's, if it has records.
   */
  public Optional<Checkpoint> checkpoint() {
    return checkpoints().stream().filter(c -> c.chain() == 1).findFirst();
  }

  /**
   * Signs and stores a checkpoint of every chain's head ({@link AuditCheckpoints#checkpoint()}).
   */
  public List<Checkpoint> checkpoints() {
    return inTransaction(em -> new AuditCheckpoints(em, signer, Clock.systemUTC()).checkpoint());
  }

  /** The sequence numbers of every stored record, in order. */
  public List<Long> sequences() {
    return inTransaction(
        em ->
            em.createQuery("select r.sequence from AuditRecord r order by r.sequence", Long.class)
                .getResultList());
  }

  private <T> T inTransaction(java.util.function.Function<EntityManager, T> work) {
    EntityManager em = emf.createEntityManager();
    try {
      em.getTransaction().begin();
      T result = work.apply(em);
      em.getTransaction().commit();
      return result;
    } catch (RuntimeException e) {
      if (em.getTransaction().isActive()) {
        em.getTransaction().rollback();
      }
      throw e;
    } finally {
      em.close();
    }
  }

  @Override
  public void close() {
    emf.close();
  }
}
