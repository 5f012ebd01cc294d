package dev.warden.telemetry;

import dev.warden.audit.log.AuditWriter;
import dev.warden.call.CallFinished;
import dev.warden.call.CircuitState;
import dev.warden.call.FallbackKind;
import dev.warden.config.ConfigProducer;
import dev.warden.cost.BudgetPolicy;
import dev.warden.cost.BudgetStore;
import dev.warden.cost.Budgets;
import dev.warden.openai.credential.CredentialRejected;
import dev.warden.openai.stream.TokenUsage;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Warden's metrics, in the application registry of MicroProfile Metrics (Prometheus text at {@code
 * /metrics?scope=application}), updated once per call from {@link CallFinished}: never per stream
 * event, and never with request content. Labels are models, operations, outcomes, error types and,
 * for tenant budgets, tenants: never a principal or an API key id ({@code /metrics} is read without
 * credentials, and per-user series would grow without bound). docs/operations.md lists every
 * metric.
 */
public class CallMetrics {

  private static final Logger LOG = Logger.getLogger(CallMetrics.class.getName());

  static final String BUDGET_REFRESH = "warden.metrics.budget-refresh";

  @Inject MetricRegistry registry;
  @Inject CircuitState circuit;
  @Inject Budgets budgets;
  @Inject AuditWriter audit;
  @Inject Clock clock;

  // looked up, not @Resource-injected: a bean added by an extension (TelemetryExtension) gets no
  // resource injection from Liberty
  private static final String EXECUTOR = "java:comp/DefaultManagedScheduledExecutorService";

  private final Map<String, DoubleAdder> costByModel = new ConcurrentHashMap<>();
  private final Map<String, LongAdder[]> promptTokensByModel = new ConcurrentHashMap<>();
  private final Map<String, Boolean> budgetGauges = new ConcurrentHashMap<>();
  private final AtomicReference<Map<String, BigDecimal>> remaining =
      new AtomicReference<>(Map.of());
  private ScheduledFuture<?> refresh;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    registry.gauge(
        Metadata.builder()
            .withName("warden.circuit.open")
            .withDescription(
                "1 while the upstream circuit breaker was last seen open (calls fail fast), else 0")
            .build(),
        circuit,
        c -> c.openSince().isPresent() ? 1 : 0);
    registry.gauge(
        Metadata.builder()
            .withName("warden.audit.journal.batches")
            .withDescription(
                "batches of audit records this server keeps in its journal until the database"
                    + " returns; 0 normally")
            .build(),
        audit,
        AuditWriter::journalBatches);
    Duration every = ConfigProducer.settings().duration(BUDGET_REFRESH, Duration.ofSeconds(30));
    if (!budgets.policy().isEmpty() && !every.isZero()) {
      ManagedScheduledExecutorService executor;
      try {
        executor = InitialContext.doLookup(EXECUTOR);
      } catch (NamingException e) {
        throw new IllegalStateException(EXECUTOR + " is not available", e);
      }
      refresh =
          executor.scheduleWithFixedDelay(
              this::refreshBudgets, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Cancels the budget refresh and removes Warden's metrics: the registry outlives a redeployment,
   * and its gauges' functions would keep the stopped application's class loader alive (seen in the
   * test server, which redeploys Warden for every test class, as one leaked class loader each).
   */
  @PreDestroy
  void stop() {
    if (refresh != null) {
      refresh.cancel(false);
    }
    registry.removeMatching((id, metric) -> id.getName().startsWith("warden."));
  }

  /**
   * Counts one finished call. Runs before the audit observers, so a failing audit cannot skip it.
   */
  void finished(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) CallFinished call) {
    String model = label(call.requestedModel());
    String answered = label(call.answeredBy() != null ? call.answeredBy() : call.requestedModel());
    String outcome = call.outcome().name().toLowerCase(Locale.ROOT);
    Tag modelTag = new Tag("model", model);
    Tag operationTag = new Tag("operation", call.operation());
    Tag outcomeTag = new Tag("outcome", outcome);

    registry
        .counter(
            meta("warden.calls", "Calls through the pipeline, by requested model and outcome"),
            modelTag,
            operationTag,
            outcomeTag)
        .inc();
    registry
        .timer(
            meta("warden.call.duration", "Call latency, from admission to the last byte"),
            modelTag,
            operationTag,
            outcomeTag)
        .update(call.latency());
    if (call.timeToFirstEvent() != null) {
      registry
          .timer(
              meta(
                  "warden.stream.first_event",
                  "Time from the start of a stream to its first event"),
              modelTag,
              operationTag)
          .update(call.timeToFirstEvent());
    }
    if (call.errorType() != null) {
      registry
          .counter(
              meta("warden.call.errors", "Failed calls by error type"),
              modelTag,
              new Tag("error_type", call.errorType()))
          .inc();
    }
    if (call.attempts() > 1) {
      registry
          .counter(
              meta("warden.retries", "Retries of the requested model (attempts after the first)"),
              modelTag)
          .inc(call.attempts() - 1L);
    }
    if (call.fallback() != FallbackKind.NONE) {
      registry
          .counter(
              meta("warden.fallbacks", "Calls answered by the fallback chain"),
              modelTag,
              new Tag("kind", call.fallback().wire()))
          .inc();
    }
    tokens(answered, call.usage());
    if (call.cost() != null && call.cost().signum() > 0) {
      costByModel
          .computeIfAbsent(
              answered,
              m -> {
                DoubleAdder adder = new DoubleAdder();
                registry.gauge(
                    meta("warden.cost.usd", "Cost of the calls since start, in USD (price table)"),
                    adder,
                    DoubleAdder::sum,
                    new Tag("model", m));
                return adder;
              })
          .add(call.cost().doubleValue());
    }
  }

  /**
   * Counts each upstream 401 to Warden's own credential, whoever called: an operator alert's metric
   * (the log line and the webhook are {@link dev.warden.cost.UpstreamAuthAlerts}'s).
   */
  void credentialRejected(@Observes CredentialRejected rejected) {
    registry
        .counter(
            meta(
                "warden.upstream.auth_failures",
                "Upstream answers of 401 to Warden's own credential (an operator alert)"),
            new Tag("model", label(rejected.model())))
        .inc();
  }

  private void tokens(String model, TokenUsage usage) {
    if (usage == null || (usage.input() == 0 && usage.output() == 0)) {
      return;
    }
    Tag modelTag = new Tag("model", model);
    Metadata tokens = meta("warden.tokens", "Tokens by model and kind (input includes cached)");
    registry.counter(tokens, modelTag, new Tag("kind", "input")).inc(usage.input());
    registry.counter(tokens, modelTag, new Tag("kind", "cached_input")).inc(usage.cachedInput());
    registry.counter(tokens, modelTag, new Tag("kind", "output")).inc(usage.output());
    LongAdder[] prompt =
        promptTokensByModel.computeIfAbsent(
            model,
            m -> {
              LongAdder[] adders = {new LongAdder(), new LongAdder()};
              registry.gauge(
                  meta(
                      "warden.prompt_cache.hit_ratio",
                      "Share of input tokens served from OpenAI's prompt cache since start"),
                  adders,
                  a -> {
                    long input = a[0].sum();
                    return input == 0 ? 0.0 : (double) a[1].sum() / input;
                  },
                  new Tag("model", m));
              return adders;
            });
    prompt[0].add(usage.input());
    prompt[1].add(usage.cachedInput());
  }

  /** Reads the current budget rows and registers a gauge for each one not seen before. */
  void refreshBudgets() {
    try {
      LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
      BudgetPolicy policy = budgets.policy();
      Map<String, BigDecimal> now = new ConcurrentHashMap<>();
      for (BudgetStore.Row r : budgets.current(today)) {
        if (!"tenant".equals(r.scope())) {
          // a user's or a key's budget would label a series with a principal or a key id
          continue;
        }
        policy
            .limit(r.scope(), r.subject(), r.period())
            .ifPresent(
                limit -> {
                  String key = r.scope() + "|" + r.subject() + "|" + r.period();
                  now.put(key, limit.subtract(r.spent()).subtract(r.reserved()));
                  budgetGauges.computeIfAbsent(
                      key,
                      k -> {
                        registry.gauge(
                            Metadata.builder()
                                .withName("warden.budget.remaining.usd")
                                .withDescription(
                                    "What is left of a tenant's budget in its current period"
                                        + " (limit - spent - reserved), USD")
                                .build(),
                            this,
                            m -> m.remaining(k),
                            new Tag("tenant", r.subject()),
                            new Tag("period", r.period()));
                        return Boolean.TRUE;
                      });
                });
      }
      remaining.set(now);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "WARDEN0813W: the budget metrics could not be read: {0}", e.toString());
    }
  }

  double remaining(String key) {
    BigDecimal r = remaining.get().get(key);
    return r == null ? 0 : r.doubleValue();
  }

  private static String label(String model) {
    return model == null ? "none" : model;
  }

  private static Metadata meta(String name, String description) {
    return Metadata.builder().withName(name).withDescription(description).build();
  }
}
