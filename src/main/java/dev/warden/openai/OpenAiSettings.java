package dev.warden.openai;

import dev.warden.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How Warden reaches the upstream: base URL, headers, timeouts (connect, read, and write: the
 * longest time to send a request body, for uploads), connection limit. Read once at start-up from
 * MicroProfile Config (prefix {@code warden.openai.}); see docs/configuration.md. The API key is
 * deliberately not here: it is read per request through {@link
 * dev.warden.openai.credential.CredentialProvider} so that rotation needs no restart.
 */
public record OpenAiSettings(
    URI baseUrl,
    String authHeader,
    String organization,
    String project,
    Duration connectTimeout,
    Duration readTimeout,
    Map<String, Duration> modelReadTimeouts,
    int maxConnections,
    Duration connectionWait,
    Duration writeTimeout) {

  public static final String PREFIX = "warden.openai.";

  /** OpenAI's public API. */
  static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

  private static final String MODELS = PREFIX + "models.";
  private static final String READ_TIMEOUT_SUFFIX = ".read-timeout";

  public OpenAiSettings {
    modelReadTimeouts = Map.copyOf(modelReadTimeouts);
  }

  /** Reads and validates the settings; throws {@link IllegalArgumentException} naming the key. */
  public static OpenAiSettings from(Settings s) {
    URI uri = baseUrl(PREFIX + "base-url", s.string(PREFIX + "base-url", OPENAI_BASE_URL));
    Map<String, Duration> perModel = new HashMap<>();
    for (String name : s.names()) {
      if (name.startsWith(MODELS) && name.endsWith(READ_TIMEOUT_SUFFIX)) {
        String model =
            name.substring(MODELS.length(), name.length() - READ_TIMEOUT_SUFFIX.length());
        if (!model.isEmpty()) {
          perModel.put(model, s.duration(name, null));
        }
      }
    }
    perModel.values().removeIf(d -> d == null);
    return new OpenAiSettings(
        uri,
        s.string(PREFIX + "auth-header", "Authorization"),
        s.string(PREFIX + "organization").or(() -> s.string("OPENAI_ORG_ID")).orElse(null),
        s.string(PREFIX + "project").or(() -> s.string("OPENAI_PROJECT_ID")).orElse(null),
        s.duration(PREFIX + "connect-timeout", Duration.ofSeconds(10)),
        s.duration(PREFIX + "read-timeout", Duration.ofSeconds(60)),
        perModel,
        s.integer(PREFIX + "max-connections", 1000, 1),
        s.duration(PREFIX + "connection-wait", Duration.ofSeconds(2)),
        s.duration(PREFIX + "write-timeout", Duration.ofSeconds(60)));
  }

  /** {@code base} as a URI without a trailing slash; throws naming {@code key} unless http(s). */
  static URI baseUrl(String key, String base) {
    URI uri;
    try {
      uri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " is not a URL: " + base, e);
    }
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
      throw new IllegalArgumentException(key + " must be an http(s) URL: " + base);
    }
    return uri;
  }

  /** The read timeout for calls to {@code model}: its own if configured, else the default. */
  public Duration readTimeoutFor(String model) {
    if (model == null) {
      return readTimeout;
    }
    return modelReadTimeouts.getOrDefault(model, readTimeout);
  }
}
