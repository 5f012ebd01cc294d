package dev.warden.cost;

import dev.warden.call.BudgetHold;
import dev.warden.call.Outcome;
import dev.warden.openai.stream.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What admission holds for one call until it ends: the counted input tokens, the worst case
 * reserved on the caller's budgets, and how to price the actual usage. {@link #settle} is effective
 * exactly once (later calls return the first result); a call that ends without an answer settles
 * with no usage, which releases its whole reservation.
 */
public final class Reservation implements BudgetHold {

  private static final Logger LOG = Logger.getLogger(Reservation.class.getName());

  /** Prices a usage for a model at a time. */
  interface Pricing {
    BigDecimal cost(String model, String fallbackModel, TokenUsage usage, Instant at);
  }

  private final String model;
  private final int inputTokens;
  private final BigDecimal reserved;
  private final List<Budgets.Hold> holds;
  private final Instant at;
  private final Pricing pricing;
  private final BiConsumer<List<Budgets.Hold>, BigDecimal> settlement;
  private final Consumer<List<Budgets.Hold>> disown;
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile BigDecimal cost;

  /**
   * @param disown takes the holds out of this server's recoverable holds when the reservation is
   *     detached (its new keeper settles it)
   */
  Reservation(
      String model,
      int inputTokens,
      BigDecimal reserved,
      List<Budgets.Hold> holds,
      Instant at,
      Pricing pricing,
      BiConsumer<List<Budgets.Hold>, BigDecimal> settlement,
      Consumer<List<Budgets.Hold>> disown) {
    this.disown = disown;
    this.model = model;
    this.inputTokens = inputTokens;
    this.reserved = reserved;
    this.holds = List.copyOf(holds);
    this.at = at;
    this.pricing = pricing;
    this.settlement = settlement;
  }

  /**
   * A reservation as data, kept past the call that made it (a background response, a deferred call)
   * and resumed later by {@link Admission#resume}.
   *
   * @param at when it was made: the calls are priced, and their budget periods are, as of then
   */
  public record Held(
      String model, int inputTokens, BigDecimal reserved, List<Budgets.Hold> holds, Instant at) {
    public Held {
      holds = List.copyOf(holds);
    }

    /** The budget rows held, as JSON (for a database column). */
    public String holdsJson() {
      jakarta.json.JsonArrayBuilder a = dev.warden.config.Jsonp.createArrayBuilder();
      for (Budgets.Hold h : holds) {
        a.add(
            dev.warden.config.Jsonp.createObjectBuilder()
                .add("row", h.rowId())
                .add("scope", h.limit().scope())
                .add("subject", h.limit().subject())
                .add("period", h.limit().period())
                .add("limit", h.limit().amount())
                .add("amount", h.amount()));
      }
      return a.build().toString();
    }

    /** The holds of {@link #holdsJson()}. */
    public static List<Budgets.Hold> holdsFromJson(String json) {
      List<Budgets.Hold> holds = new java.util.ArrayList<>();
      try (jakarta.json.JsonReader r =
          dev.warden.config.Jsonp.createReader(new java.io.StringReader(json))) {
        for (jakarta.json.JsonObject o : r.readArray().getValuesAs(jakarta.json.JsonObject.class)) {
          holds.add(
              new Budgets.Hold(
                  o.getString("row"),
                  new BudgetPolicy.Limit(
                      o.getString("scope"),
                      o.getString("subject"),
                      o.getString("period"),
                      o.getJsonNumber("limit").bigDecimalValue()),
                  o.getJsonNumber("amount").bigDecimalValue()));
        }
      }
      return holds;
    }
  }

  /**
   * Takes the reservation out of this call, to be settled later ({@link Admission#resume}): this
   * object then counts as settled (the call reports no cost) and nothing is released; the holds are
   * no longer this server's to release should it end. Empty when it was already settled.
   */
  public java.util.Optional<Held> detach() {
    if (!settled.compareAndSet(false, true)) {
      return java.util.Optional.empty();
    }
    cost = null;
    try {
      disown.accept(holds);
    } catch (RuntimeException e) {
      // the hold rows stay: were this server to end, they would be released by its recovery and
      // again by their new keeper
      LOG.log(
          Level.WARNING,
          "WARDEN0627W: the budget holds of a detached reservation stay recorded as this server's"
              + " ({0})",
          e.getClass().getName());
    }
    return java.util.Optional.of(new Held(model, inputTokens, reserved, holds, at));
  }

  /** The input tokens counted before the call. */
  public int inputTokens() {
    return inputTokens;
  }

  /** The worst case reserved on each of the caller's budgets (USD). */
  public BigDecimal reserved() {
    return reserved;
  }

  public boolean isSettled() {
    return settled.get();
  }

  /**
   * Prices the actual usage and settles the budgets now, in a transaction of its own: the
   * reservation is released and the cost added to the spend. For charges that have no audit record
   * to go with (a background response, a batch, a release); a call's own end is {@link #charge}d.
   * The first of both wins; never throws (a failed settlement is logged, and the cost still
   * returned).
   *
   * @param answeredBy the model that answered (priced instead of the requested one when it has a
   *     price), {@code null} when none
   * @param usage the tokens the upstream reported
   * @param outcome how the call ended
   * @param streamStarted whether a stream had relayed its first event: an upstream that was cut or
   *     left by the caller may report no usage, and then the counted input is charged
   * @return the cost in USD
   */
  public BigDecimal settle(
      String answeredBy, TokenUsage usage, Outcome outcome, boolean streamStarted) {
    Charge charge = charge(answeredBy, usage, outcome, streamStarted);
    if (charge.settlement() instanceof BudgetSettlement s) {
      s.settleWith(settlement);
    }
    return charge.cost();
  }

  /**
   * Prices the actual usage, once (later calls, and {@link #settle}, return the same cost and no
   * settlement); the settlement it returns, when the caller has budgets, is written with the call's
   * audit record ({@link Budgets#write}).
   */
  @Override
  public Charge charge(
      String answeredBy, TokenUsage usage, Outcome outcome, boolean streamStarted) {
    if (!settled.compareAndSet(false, true)) {
      return new Charge(cost, null);
    }
    TokenUsage charged = usage == null ? TokenUsage.NONE : usage;
    if (charged.total() == 0 && streamStarted && outcome != Outcome.SUCCEEDED) {
      charged = new TokenUsage(inputTokens, 0, 0, 0);
    }
    BigDecimal actual;
    try {
      actual = pricing.cost(answeredBy == null ? model : answeredBy, model, charged, at);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "WARDEN0625E: a call could not be priced; it is recorded at 0", e);
      actual = BigDecimal.ZERO;
    }
    cost = actual;
    return new Charge(actual, new BudgetSettlement(holds, actual));
  }
}
