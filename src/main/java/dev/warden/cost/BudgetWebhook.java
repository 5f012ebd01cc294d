package dev.warden.cost;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts soft budget alerts ({@link BudgetAlert}) as JSON to {@code warden.budget.alert-webhook},
 * when set. Delivery is asynchronous, on the server's managed executor: a call that crosses a
 * threshold never waits for it. One attempt with {@code warden.budget.alert-webhook-timeout};
 * anything but a 2xx answer is logged ({@code WARDEN0626W}, the alert id and the status, never the
 * URL's query or any content) and dropped: the alert is also in the log ({@code WARDEN0620W}) and
 * its id is stable, so a receiver that missed it can reconcile.
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
  private HttpClient http;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  @PostConstruct
  void init() {
    Settings s = ConfigProducer.settings();
    url = s.string(URL).filter(u -> !u.isBlank()).map(URI::create);
    timeout = s.duration(TIMEOUT, Duration.ofSeconds(5));
    http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Whether a webhook is configured. */
  public boolean enabled() {
    return url.isPresent();
  }

  /** Queues the delivery of {@code alert}; returns at once. */
  public void send(BudgetAlert alert) {
    if (url.isEmpty()) {
      return;
    }
    try {
      executor.execute(() -> deliver(url.get(), alert));
    } catch (RuntimeException e) { // rejected (server stopping): the log line remains
      failed.incrementAndGet();
      LOG.log(
          Level.WARNING,
          "WARDEN0626W: budget alert {0} was not posted to the webhook: {1}",
          new Object[] {alert.alertId(), e.getClass().getSimpleName()});
    }
  }

  private void deliver(URI to, BudgetAlert alert) {
    String outcome;
    try {
      HttpResponse<Void> answer =
          http.send(
              HttpRequest.newBuilder(to)
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", alert.alertId())
                  .POST(HttpRequest.BodyPublishers.ofString(alert.toJson().toString()))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (answer.statusCode() / 100 == 2) {
        delivered.incrementAndGet();
        return;
      }
      outcome = "status " + answer.statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = "interrupted";
    } catch (java.io.IOException | RuntimeException e) {
      outcome = e.getClass().getSimpleName();
    }
    failed.incrementAndGet();
    LOG.log(
        Level.WARNING,
        "WARDEN0626W: budget alert {0} was not accepted by the webhook at {1}: {2}",
        new Object[] {alert.alertId(), to.getScheme() + "://" + to.getAuthority(), outcome});
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
