package dev.warden.cost;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Jsonp;
import dev.warden.openai.credential.CredentialRejected;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operator alert for an upstream that rejects Warden's own credential (401, {@link
 * CredentialRejected}): the caller cannot fix that, so operators must hear of it. For the first
 * rejection of each upstream in a period of {@code warden.openai.auth-alert-interval}: {@code
 * WARDEN0120E} is logged (upstream, model, OpenAI's code, the upstream request id, the alert id;
 * never the key or the upstream's message) and the alert is posted to the operator webhook ({@link
 * BudgetWebhook}, {@code warden.budget.alert-webhook}); later rejections in the same period are
 * counted and logged at FINE. The alert id is the same on every server for the same upstream and
 * period, so a receiver drops duplicates. The metrics count every rejection.
 */
@ApplicationScoped
public class UpstreamAuthAlerts {

  private static final Logger LOG = Logger.getLogger(UpstreamAuthAlerts.class.getName());

  /** The message id of the alert, in the log and in the webhook's payload. */
  public static final String MESSAGE_ID = "WARDEN0120E";

  /** How often one upstream's rejections raise an alert at most. */
  public static final String INTERVAL = "warden.openai.auth-alert-interval";

  @Inject BudgetWebhook webhook;

  private Duration interval;
  private final Map<String, Period> periods = new ConcurrentHashMap<>();
  private final AtomicLong rejections = new AtomicLong();

  @PostConstruct
  void init() {
    configure(ConfigProducer.settings().duration(INTERVAL, Duration.ofMinutes(5)));
  }

  void configure(Duration every) {
    interval = every.isZero() || every.isNegative() ? Duration.ofMinutes(5) : every;
  }

  /** One period of one upstream: when it started and how many rejections it saw. */
  private record Period(long start, AtomicLong count) {}

  void rejected(@Observes CredentialRejected rejected) {
    rejections.incrementAndGet();
    long start = periodStart(rejected.at());
    Period period =
        periods.compute(
            rejected.upstream(),
            (upstream, p) ->
                p != null && p.start == start ? p : new Period(start, new AtomicLong()));
    long n = period.count.incrementAndGet();
    String alertId = alertId(rejected.upstream(), start);
    if (n > 1) {
      LOG.log(
          Level.FINE,
          "WARDEN0122I: the upstream {0} rejected Warden''s credential again ({1} times in alert"
              + " {2})",
          new Object[] {rejected.upstream(), n, alertId});
      return;
    }
    LOG.log(
        Level.SEVERE,
        "WARDEN0120E: the upstream {0} rejected Warden''s credential (HTTP 401, code {1}, model {2},"
            + " upstream request {3}); every call fails until the key is fixed; alert {4}",
        new Object[] {
          rejected.upstream(),
          rejected.code(),
          rejected.model(),
          rejected.upstreamRequestId(),
          alertId
        });
    webhook.send(alertId, payload(rejected, alertId));
  }

  /** Rejections seen since the server started. */
  public long rejections() {
    return rejections.get();
  }

  private long periodStart(Instant at) {
    long millis = interval.toMillis();
    return Math.floorDiv(at.toEpochMilli(), millis) * millis;
  }

  static String alertId(String upstream, long periodStart) {
    return UUID.nameUUIDFromBytes(
            ("upstream.authentication_failed|" + upstream + "|" + periodStart)
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The webhook's JSON payload: no key, no upstream message. */
  static JsonObject payload(CredentialRejected r, String alertId) {
    JsonObjectBuilder b =
        Jsonp.createObjectBuilder()
            .add("message_id", MESSAGE_ID)
            .add("alert_id", alertId)
            .add("type", "upstream.authentication_failed")
            .add("upstream", r.upstream())
            .add("credential_header", r.header())
            .add("status", 401);
    if (r.model() != null) {
      b.add("model", r.model());
    }
    if (r.code() != null) {
      b.add("code", r.code());
    }
    if (r.upstreamRequestId() != null) {
      b.add("upstream_request_id", r.upstreamRequestId());
    }
    return b.add("raised_at", r.at().toString()).build();
  }
}
