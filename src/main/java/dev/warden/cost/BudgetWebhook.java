package dev.warden.cost;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * The operator alert channel: posts soft budget alerts ({@link BudgetAlert}) and other operator
 * alerts (an upstream that rejects Warden's credential, {@link UpstreamAuthAlerts}) as JSON to
 * {@code warden.budget.alert-webhook}, when set, through a MicroProfile REST Client ({@link
 * BudgetWebhookClient}). Every payload has {@code message_id}, {@code alert_id} and {@code type}.
 * Delivery is asynchronous, on the server's managed executor: a call that crosses a threshold never
 * waits for it. One attempt with {@code warden.budget.alert-webhook-timeout}; anything but a 2xx
 * answer is logged ({@code WARDEN0626W}, the alert id and the status, never the URL's query or any
 * content) and dropped: the alert is also in the log ({@code WARDEN0620W}) and its id is stable, so
 * a receiver that missed it can reconcile.
 */
@ApplicationScoped
public class BudgetWebhook {

  private static final Logger LOG = Logger.getLogger(BudgetWebhook.class.getName());

  /** The URL alerts are posted to; unset means no webhook. */
  public static final String URL = "warden.budget.alert-webhook";

  /** How long one delivery may take (connect and answer). */
  public static final String TIMEOUT = "warden.budget.alert-webhook-timeout";

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService executor;

  private Optional<URI> url = Optional.empty();
  private Duration timeout;
  private BudgetWebhookClient client;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  @PostConstruct
  void init() {
    Settings s = ConfigProducer.settings();
    url = s.string(URL).filter(u -> !u.isBlank()).map(URI::create);
    timeout = s.duration(TIMEOUT, Duration.ofSeconds(5));
    client = url.map(this::client).orElse(null);
  }

  private BudgetWebhookClient client(URI to) {
    return RestClientBuilder.newBuilder()
        .baseUri(to)
        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        // read every status here: no WebApplicationException for a 4xx or 5xx answer
        .property("microprofile.rest.client.disable.default.mapper", true)
        .build(BudgetWebhookClient.class);
  }

  /** Whether a webhook is configured. */
  public boolean enabled() {
    return url.isPresent();
  }

  /** Queues the delivery of {@code alert}; returns at once. */
  public void send(BudgetAlert alert) {
    send(alert.alertId(), alert.toJson());
  }

  /**
   * Queues the delivery of one operator alert; returns at once.
   *
   * @param alertId the alert's stable id, also sent as {@code Idempotency-Key}
   * @param payload the JSON posted; never a prompt, an answer or a key
   */
  public void send(String alertId, JsonObject payload) {
    if (url.isEmpty()) {
      return;
    }
    try {
      executor.execute(() -> deliver(url.get(), alertId, payload));
    } catch (RuntimeException e) { // rejected (server stopping): the log line remains
      failed.incrementAndGet();
      LOG.log(
          Level.WARNING,
          "WARDEN0626W: alert {0} was not posted to the webhook: {1}",
          new Object[] {alertId, e.getClass().getSimpleName()});
    }
  }

  private void deliver(URI to, String alertId, JsonObject payload) {
    String outcome;
    try (Response answer = client.post(alertId, payload.toString())) {
      if (answer.getStatusInfo().getFamily() == Response.Status.Family.SUCCESSFUL) {
        delivered.incrementAndGet();
        return;
      }
      outcome = "status " + answer.getStatus();
    } catch (RuntimeException e) { // ProcessingException: refused, reset, timed out
      outcome = e.getClass().getSimpleName();
    }
    failed.incrementAndGet();
    LOG.log(
        Level.WARNING,
        "WARDEN0626W: alert {0} was not accepted by the webhook at {1}: {2}",
        new Object[] {alertId, to.getScheme() + "://" + to.getAuthority(), outcome});
  }

  /** Alerts the webhook accepted (2xx) since the server started. */
  public long delivered() {
    return delivered.get();
  }

  /** Alerts whose delivery failed since the server started. */
  public long failed() {
    return failed.get();
  }
}
