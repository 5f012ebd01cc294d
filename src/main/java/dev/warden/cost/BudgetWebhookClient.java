package dev.warden.cost;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The budget alert webhook as a MicroProfile REST Client interface, built by {@link BudgetWebhook}
 * with the configured URL as its base: one {@code POST} of an alert's JSON to that URL.
 */
public interface BudgetWebhookClient {

  /**
   * Posts {@code json}; the raw answer, whatever its status, for the caller to read and close.
   *
   * @param idempotencyKey the alert id, the same for every delivery of one alert
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  Response post(@HeaderParam("Idempotency-Key") String idempotencyKey, String json);
}
