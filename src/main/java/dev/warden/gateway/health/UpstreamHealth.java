package dev.warden.gateway.health;

import dev.warden.call.CircuitState;
import dev.warden.openai.OpenAiTransport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the upstream path: down while the circuit breaker is open (calls fail fast or get
 * fallback answers), with the connections in use. It does not call the upstream: a health probe
 * must not spend tokens or rate limit.
 */
@Readiness
@ApplicationScoped
public class UpstreamHealth implements HealthCheck {

  @Inject CircuitState circuit;
  @Inject OpenAiTransport transport;

  @Override
  public HealthCheckResponse call() {
    Optional<Instant> open = circuit.openSince();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("circuit", open.isEmpty() ? "closed" : "open");
    data.put("connections-in-use", (long) transport.connectionsInUse());
    open.ifPresent(t -> data.put("open-since", t.toString()));
    return new HealthCheckResponse(
        "upstream", DatabaseHealth.status(open.isEmpty()), Optional.of(data));
  }
}
