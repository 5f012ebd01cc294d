package dev.warden.cost;

import dev.warden.call.CallCompanion;
import dev.warden.call.CallFinished;
import dev.warden.call.Caller;
import dev.warden.call.refusal.BudgetRefusal;
import dev.warden.cluster.DatabaseOutages;
import dev.warden.cluster.OwnTimer;
import dev.warden.cluster.ServerGone;
import dev.warden.cluster.ServerLeases;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Reserves, settles and releases budget in the database ({@link BudgetStore} on the server's data
 * source), each in its own transaction, except a call's settlement: it is written in the
 * transaction of the call's audit record, with its usage entry ({@link #write}, as a {@link
 * CallCompanion}), so the spend never disagrees with the ledger. A reservation takes every budget
 * of the caller or none: one that does not fit rolls the whole transaction back.
 */
@ApplicationScoped
public class Budgets implements CallCompanion {

  private static final Logger LOG = Logger.getLogger(Budgets.class.getName());

  /**
   * Budget reserved on one row, to settle later on exactly that row: {@code amount} reserved on the
   * budget row {@code rowId}; {@code id} names its row in {@code cost_budget_hold} while a call of
   * this server holds it (null once handed over).
   */
  public record Hold(String rowId, BudgetPolicy.Limit limit, BigDecimal amount, String id)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Hold(String rowId, BudgetPolicy.Limit limit, BigDecimal amount) {
      this(rowId, limit, amount, null);
    }
  }

  @Inject ServerLeases leases;
  @Inject Budgets self;

  @Resource(lookup = "jdbc/warden")
  DataSource dataSource;

  @Inject BudgetPolicy policy;
  @Inject BudgetWebhook webhook;

  @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
  TransactionSynchronizationRegistry transactions;

  private final AtomicLong alerts = new AtomicLong();

  /** How often the reservations left in doubt by a database outage are looked for. */
  static final Duration IN_DOUBT_EVERY = Duration.ofSeconds(2);

  /** The calls whose reservation's commit met a database outage: it may have gone through. */
  private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();

  private OwnTimer inDoubtTimer;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  /**
   * Reserves {@code amount} on every budget of {@code caller} for the periods of {@code now}, for
   * call {@code requestId} (may be null): its holds name it, so that, should this server end during
   * the call, the recovery settles them with the call's charge ({@link #holdsOfCall}).
   *
   * @throws BudgetRefusal if one does not fit; nothing is then reserved
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Hold> reserve(Caller caller, BigDecimal amount, Instant now, String requestId) {
    List<BudgetPolicy.Limit> limits = policy.limitsFor(caller);
    if (limits.isEmpty()) {
      return List.of();
    }
    List<Hold> holds = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      for (BudgetPolicy.Limit limit : limits) {
        String id = limit.rowId(now);
        BudgetStore.ensure(
            c, id, limit.scope(), limit.subject(), limit.period(), limit.periodStart(now));
        if (!BudgetStore.reserve(c, id, amount, limit.amount())) {
          LOG.log(
              Level.FINE,
              "WARDEN0621I: a call was refused: the {0} budget of {1} {2} is exhausted",
              new Object[] {limit.period(), limit.scope(), limit.subject()});
          throw new BudgetRefusal(limit.scope(), limit.period());
        }
        Hold hold = new Hold(id, limit, amount, UUID.randomUUID().toString());
        BudgetStore.insertHold(c, hold.id(), leases.name(), id, amount, requestId);
        holds.add(hold);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("WARDEN0622E: the budget reservation failed", e);
    }
    return holds;
  }

  /**
   * {@link #reserve} for a call that is refused if it fails. When the database goes away during the
   * reservation its commit is in doubt: the database may have committed it and lost only the
   * answer. Then the call's holds, if the reservation went through, are released as soon as the
   * database answers again ({@link #releaseInDoubt}, every {@link #IN_DOUBT_EVERY}); should this
   * server end first, the recovery of its lease releases them.
   */
  public List<Hold> reserveForCall(
      Caller caller, BigDecimal amount, Instant now, String requestId) {
    try {
      return self.reserve(caller, amount, now, requestId);
    } catch (RuntimeException e) {
      if (requestId != null && DatabaseOutages.isOutage(e)) {
        inDoubt.add(requestId);
        LOG.log(
            Level.WARNING,
            "WARDEN0631W: the budget reservation of call {0} met a database outage; if it went"
                + " through, it is released once the database answers",
            requestId);
        watchInDoubt();
      }
      throw e;
    }
  }

  private synchronized void watchInDoubt() {
    if (inDoubtTimer == null && threads != null) {
      inDoubtTimer = OwnTimer.every(IN_DOUBT_EVERY, this::releaseInDoubt, threads);
    }
  }

  /**
   * Releases the holds of the calls whose reservation was left in doubt; those the database cannot
   * answer for yet are tried again later. Returns how many holds were released.
   */
  public int releaseInDoubt() {
    int released = 0;
    for (String requestId : List.copyOf(inDoubt)) {
      try {
        int n = self.releaseHoldsOfCall(requestId);
        inDoubt.remove(requestId);
        released += n;
        if (n > 0) {
          LOG.log(
              Level.INFO,
              "WARDEN0632I: the budget reservation of call {0}, in doubt since a database"
                  + " outage, was released",
              requestId);
        }
      } catch (RuntimeException e) {
        if (DatabaseOutages.isOutage(e)) {
          break; // still away: all of them wait for the next round
        }
        inDoubt.remove(requestId);
        LOG.log(
            Level.SEVERE,
            "WARDEN0633E: the budget reservation of call "
                + requestId
                + ", in doubt since a database outage, could not be released",
            e);
      }
    }
    return released;
  }

  /** The calls whose reservation is still in doubt. */
  public int reservationsInDoubt() {
    return inDoubt.size();
  }

  /** Releases the holds call {@code requestId} still has; returns how many. */
  @Transactional(TxType.REQUIRES_NEW)
  public int releaseHoldsOfCall(String requestId) {
    try (Connection c = dataSource.getConnection()) {
      return release(c, BudgetStore.holdsOfCall(c, requestId));
    } catch (SQLException e) {
      throw new IllegalStateException("WARDEN0629E: the budget holds could not be released", e);
    }
  }

  /** Releases each hold's reservation (nothing is spent) and deletes the hold; how many. */
  private static int release(Connection c, List<BudgetStore.HeldAmount> held) throws SQLException {
    for (BudgetStore.HeldAmount h : held) {
      BudgetStore.settle(c, h.budgetId(), h.amount(), BigDecimal.ZERO);
      BudgetStore.deleteHold(c, h.id());
    }
    return held.size();
  }

  @PreDestroy
  synchronized void stopWatching() {
    if (inDoubtTimer != null) {
      inDoubtTimer.stop();
      inDoubtTimer = null;
    }
  }

  /**
   * Settles {@code holds}: their reservations are released and {@code actual} is added to the spend
   * of each; then raises the soft alerts that the new spend crossed (once per period, across
   * servers). With {@code actual} zero this is a pure release.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public void settle(List<Hold> holds, BigDecimal actual) {
    settleInTransaction(holds, actual);
  }

  /**
   * The settlement of a call's reservation, which goes with its report, to write with its record.
   */
  @Override
  public Object companionOf(CallFinished call) {
    return call.budgetSettlement() instanceof BudgetSettlement s && !s.holds().isEmpty() ? s : null;
  }

  /**
   * Writes a call's {@link BudgetSettlement} in the transaction of the call's audit record, as
   * {@link #settle} would in one of its own.
   */
  @Override
  @Transactional(TxType.MANDATORY)
  public boolean write(Object row) {
    if (!(row instanceof BudgetSettlement s)) {
      return false;
    }
    settleInTransaction(s.holds(), s.actual());
    return true;
  }

  /**
   * A call whose record could not be written still has its reservation settled, on its own: else it
   * would stay held until the period ends.
   */
  @Override
  public void abandoned(Object row) {
    if (row instanceof BudgetSettlement s && !s.holds().isEmpty()) {
      s.settleWith(self::settle);
    }
  }

  private void settleInTransaction(List<Hold> holds, BigDecimal actual) {
    if (holds.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      for (Hold hold : holds) {
        // a hold that the recovery of a server taken for gone released is not released twice
        boolean held = hold.id() == null || BudgetStore.deleteHold(c, hold.id());
        BudgetStore.settle(c, hold.rowId(), held ? hold.amount() : BigDecimal.ZERO, actual);
      }
      if (actual.signum() > 0) {
        for (Hold hold : holds) {
          alertIfCrossed(c, hold);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("WARDEN0623E: the budget settlement failed", e);
    }
  }

  /**
   * The holds call {@code requestId} still has (its server ended during it), as {@link Hold}s to
   * settle with what the call is charged.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Hold> holdsOfCall(String requestId) {
    List<Hold> holds = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      for (BudgetStore.HeldAmount held : BudgetStore.holdsOfCall(c, requestId)) {
        BudgetStore.Row row = BudgetStore.read(c, held.budgetId()).orElse(null);
        BudgetPolicy.Limit limit =
            row == null
                ? new BudgetPolicy.Limit("unknown", held.budgetId(), "daily", BigDecimal.ZERO)
                : new BudgetPolicy.Limit(
                    row.scope(),
                    row.subject(),
                    row.period(),
                    policy.limit(row.scope(), row.subject(), row.period()).orElse(BigDecimal.ZERO));
        holds.add(new Hold(held.budgetId(), limit, held.amount(), held.id()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the budget holds of a call could not be read", e);
    }
    return holds;
  }

  /**
   * Hands {@code holds} over to another keeper (a background charge, a deferred call, a batch):
   * they are no longer released if this server ends.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public void disown(List<Hold> holds) {
    if (holds.stream().allMatch(h -> h.id() == null)) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      for (Hold hold : holds) {
        if (hold.id() != null) {
          BudgetStore.deleteHold(c, hold.id());
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("WARDEN0629E: the budget holds could not be handed over", e);
    }
  }

  /**
   * Releases the reservations a gone server held for its calls in flight ({@link ServerGone}: this
   * server's previous run, at its start, or a server whose lease expired). Returns how many.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public int releaseHoldsOf(String owner, Instant before) {
    try (Connection c = dataSource.getConnection()) {
      return release(c, BudgetStore.holdsOf(c, owner, before));
    } catch (SQLException e) {
      throw new IllegalStateException("WARDEN0629E: the budget holds could not be released", e);
    }
  }

  void onServerGone(@Observes ServerGone gone) {
    int released = self.releaseHoldsOf(gone.name(), gone.before());
    if (released > 0) {
      LOG.log(
          Level.WARNING,
          "WARDEN0628W: {0} budget reservation(s) of calls cut by the end of server {1} released",
          new Object[] {released, gone.name()});
    }
  }

  /** The budget rows of the periods that include {@code day}. */
  @Transactional(TxType.REQUIRES_NEW)
  public List<BudgetStore.Row> current(LocalDate day) {
    try (Connection c = dataSource.getConnection()) {
      return BudgetStore.current(c, day);
    } catch (SQLException e) {
      throw new IllegalStateException("WARDEN0624E: the budgets could not be read", e);
    }
  }

  /** How many soft alerts this server raised since it started. */
  public long alertsRaised() {
    return alerts.get();
  }

  public BudgetPolicy policy() {
    return policy;
  }

  /** Runs {@code action} once this transaction has committed (never if it rolls back). */
  private void afterCommit(Runnable action) {
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              action.run();
            }
          }
        });
  }

  private void alertIfCrossed(Connection c, Hold hold) throws SQLException {
    BudgetStore.Row row = BudgetStore.read(c, hold.rowId()).orElse(null);
    BigDecimal limit = hold.limit().amount();
    if (row == null || limit.signum() == 0) {
      return;
    }
    BigDecimal share = row.spent().divide(limit, 4, RoundingMode.DOWN);
    BigDecimal crossed = null;
    for (BigDecimal threshold : policy.alertThresholds()) {
      if (share.compareTo(threshold) >= 0) {
        crossed = threshold;
      }
    }
    if (crossed != null
        && crossed.compareTo(row.alerted()) > 0
        && BudgetStore.raiseAlert(c, hold.rowId(), crossed)) {
      alerts.incrementAndGet();
      BudgetAlert alert =
          new BudgetAlert(
              hold.limit().scope(),
              hold.limit().subject(),
              hold.limit().period(),
              row.periodStart(),
              crossed,
              row.spent(),
              limit,
              java.time.Instant.now());
      afterCommit(() -> webhook.send(alert));
      LOG.log(
          Level.WARNING,
          "WARDEN0620W: the {0} budget of {1} {2} reached {3}% of its limit ({4} of {5} USD)",
          new Object[] {
            hold.limit().period(),
            hold.limit().scope(),
            hold.limit().subject(),
            crossed.movePointRight(2).stripTrailingZeros().toPlainString(),
            row.spent().setScale(6, RoundingMode.HALF_UP).toPlainString(),
            limit.toPlainString()
          });
    }
  }
}
