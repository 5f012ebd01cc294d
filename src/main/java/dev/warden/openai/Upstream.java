package dev.warden.openai;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One upstream Warden can call: its name, dialect, base URL, the models it serves (each with the
 * name the upstream knows it by: an Azure deployment, a local model tag) and its timeouts. Built by
 * {@link Upstreams}; the default upstream ({@value Upstreams#DEFAULT}) comes from {@code
 * warden.openai.*} and serves every model under its own name. The credential is not here: it is
 * read per request.
 *
 * @param models Warden's model name to the upstream's; empty: every model, under its own name
 * @param modelReadTimeouts read timeouts of single models (the default upstream's {@code
 *     warden.openai.models.<model>.read-timeout})
 * @param circuitFailures consecutive failures after which the fallback chain skips this upstream
 * @param circuitDelay how long it is skipped before one trial call is let through
 */
public record Upstream(
    String name,
    UpstreamKind kind,
    URI baseUrl,
    Map<String, String> models,
    String apiVersion,
    Duration connectTimeout,
    Duration readTimeout,
    Map<String, Duration> modelReadTimeouts,
    int circuitFailures,
    Duration circuitDelay) {

  public Upstream {
    models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
    modelReadTimeouts = Map.copyOf(modelReadTimeouts);
  }

  /** Whether a request for {@code model} may be routed here without naming the upstream. */
  public boolean serves(String model) {
    return models.isEmpty() || models.containsKey(model);
  }

  /** The name the upstream knows {@code model} by (the deployment, for Azure OpenAI). */
  public String upstreamModel(String model) {
    return model == null ? null : models.getOrDefault(model, model);
  }

  /** The read timeout for calls to {@code model} (Warden's name for it). */
  public Duration readTimeoutFor(String model) {
    return model == null ? readTimeout : modelReadTimeouts.getOrDefault(model, readTimeout);
  }

  /**
   * The base URI of the REST client for {@code operation} on {@code upstreamModel}: the base URL,
   * or for Azure OpenAI {@code <base-url>/openai/deployments/<deployment>} (chat completions,
   * embeddings) or {@code <base-url>/openai} (Responses). The {@code api-version} query parameter
   * is added by the request filter ({@link #query()}).
   */
  public URI clientBase(UpstreamOperation operation, String upstreamModel) {
    if (kind != UpstreamKind.AZURE) {
      return baseUrl;
    }
    String base = baseUrl + "/openai";
    if (operation.perDeployment()) {
      base +=
          "/deployments/"
              + URLEncoder.encode(upstreamModel, StandardCharsets.UTF_8).replace("+", "%20");
    }
    return URI.create(base);
  }

  /** The query string every request carries ({@code api-version=...} for Azure), or empty. */
  public String query() {
    return kind == UpstreamKind.AZURE
        ? "api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8)
        : "";
  }

  /** The full URL of {@code operation} on {@code upstreamModel}, query included. */
  public URI url(UpstreamOperation operation, String upstreamModel) {
    String query = query();
    return URI.create(
        clientBase(operation, upstreamModel)
            + operation.path()
            + (query.isEmpty() ? "" : "?" + query));
  }

  @Override
  public String toString() {
    return "Upstream[" + name + ", " + kind.wire() + ", " + baseUrl + "]";
  }
}
