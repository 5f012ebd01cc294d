package dev.warden.openai;

import dev.warden.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The upstreams Warden can call, in routing order. The default upstream {@value #DEFAULT} is always
 * there, configured by {@code warden.openai.*} exactly as with a single upstream; {@code
 * warden.upstreams} names more (and may name {@value #DEFAULT} to place it), each configured by
 * {@code warden.upstream.<name>.*}. A request for a model goes to the first upstream in that order
 * that serves it ({@link #route}), the default upstream last unless listed; a fallback chain entry
 * {@code model@upstream} names its upstream ({@link #target}). See docs/upstreams.md.
 */
public final class Upstreams {

  /** The name of the upstream configured by {@code warden.openai.*}. */
  public static final String DEFAULT = "openai";

  static final String LIST = "warden.upstreams";
  static final String PREFIX = "warden.upstream.";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /** In routing order. */
  private final Map<String, Upstream> upstreams;

  private Upstreams(Map<String, Upstream> upstreams) {
    this.upstreams = upstreams;
  }

  /** A model on an upstream, with the name the upstream knows the model by. */
  public record Target(Upstream upstream, String model, String upstreamModel) {

    /** {@code model@upstream}, as in a fallback chain, logs and the audit record. */
    public String label() {
      return model + "@" + upstream.name();
    }

    public boolean isDefaultUpstream() {
      return DEFAULT.equals(upstream.name());
    }
  }

  /** Only the default upstream (no {@code warden.upstreams}): for tests and single-upstream use. */
  public static Upstreams only(OpenAiSettings openAi) {
    Map<String, Upstream> map = new LinkedHashMap<>();
    map.put(DEFAULT, defaultUpstream(openAi));
    return new Upstreams(map);
  }

  /** Reads and validates the upstreams; throws {@link IllegalArgumentException} naming the key. */
  public static Upstreams from(Settings s, OpenAiSettings openAi) {
    Map<String, Upstream> map = new LinkedHashMap<>();
    for (String name : s.list(LIST)) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            LIST + ": an upstream name is lower-case letters, digits, '-' and '_': " + name);
      }
      if (map.containsKey(name)) {
        throw new IllegalArgumentException(LIST + " names " + name + " twice");
      }
      map.put(name, DEFAULT.equals(name) ? defaultUpstream(openAi) : named(s, name, openAi));
    }
    map.putIfAbsent(DEFAULT, defaultUpstream(openAi));
    return new Upstreams(map);
  }

  private static Upstream defaultUpstream(OpenAiSettings openAi) {
    return new Upstream(
        DEFAULT,
        UpstreamKind.OPENAI,
        openAi.baseUrl(),
        Map.of(),
        null,
        openAi.connectTimeout(),
        openAi.readTimeout(),
        openAi.modelReadTimeouts(),
        circuitFailures(null, null),
        circuitDelay(null, null));
  }

  private static Upstream named(Settings s, String name, OpenAiSettings openAi) {
    String p = PREFIX + name + ".";
    UpstreamKind kind =
        UpstreamKind.parse(
            p + "kind",
            s.string(p + "kind")
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            p + "kind is required: openai, azure or openai-compatible")));
    // OpenAI's public API is the one base URL that goes without saying
    URI base =
        OpenAiSettings.baseUrl(
            p + "base-url",
            s.string(p + "base-url")
                .or(
                    () ->
                        kind == UpstreamKind.OPENAI
                            ? Optional.of(OpenAiSettings.OPENAI_BASE_URL)
                            : Optional.empty())
                .orElseThrow(() -> new IllegalArgumentException(p + "base-url is required")));
    Map<String, String> models = models(p + "models", s.list(p + "models"));
    String apiVersion = s.string(p + "api-version").orElse(null);
    if (kind == UpstreamKind.AZURE) {
      if (apiVersion == null) {
        throw new IllegalArgumentException(
            p + "api-version is required for Azure OpenAI (e.g. 2024-10-21)");
      }
      if (models.isEmpty()) {
        throw new IllegalArgumentException(
            p + "models is required for Azure OpenAI: model=deployment, comma-separated");
      }
    }
    return new Upstream(
        name,
        kind,
        base,
        models,
        apiVersion,
        s.duration(p + "connect-timeout", openAi.connectTimeout()),
        s.duration(p + "read-timeout", openAi.readTimeout()),
        Map.of(),
        circuitFailures(s, p),
        circuitDelay(s, p));
  }

  private static int circuitFailures(Settings s, String p) {
    return s == null ? 5 : s.integer(p + "circuit-failures", 5, 1);
  }

  private static Duration circuitDelay(Settings s, String p) {
    Duration fallback = Duration.ofSeconds(10);
    return s == null ? fallback : s.duration(p + "circuit-delay", fallback);
  }

  /** {@code model} or {@code model=upstream-name} entries. */
  static Map<String, String> models(String key, List<String> entries) {
    Map<String, String> models = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      String model = (eq < 0 ? entry : entry.substring(0, eq)).trim();
      String upstreamModel = (eq < 0 ? entry : entry.substring(eq + 1)).trim();
      if (model.isEmpty() || upstreamModel.isEmpty()) {
        throw new IllegalArgumentException(key + ": expected model or model=name, got " + entry);
      }
      if (models.put(model, upstreamModel) != null) {
        throw new IllegalArgumentException(key + " names " + model + " twice");
      }
    }
    return models;
  }

  /** Every upstream, in routing order. */
  public Collection<Upstream> all() {
    return upstreams.values();
  }

  /** Whether more than the default upstream is configured. */
  public boolean multiple() {
    return upstreams.size() > 1;
  }

  public Optional<Upstream> get(String name) {
    return Optional.ofNullable(upstreams.get(name));
  }

  public Upstream defaultUpstream() {
    return upstreams.get(DEFAULT);
  }

  /** Where a request for {@code model} goes: the first upstream that serves it. */
  public Target route(String model) {
    for (Upstream upstream : upstreams.values()) {
      if (model != null && upstream.serves(model)) {
        return new Target(upstream, model, upstream.upstreamModel(model));
      }
    }
    Upstream fallback = defaultUpstream();
    return new Target(fallback, model, fallback.upstreamModel(model));
  }

  /**
   * A fallback chain entry: {@code model@upstream} (that upstream, which need not list the model)
   * or {@code model} (routed like a request, {@link #route}).
   *
   * @throws IllegalArgumentException when the upstream is not configured
   */
  public Target target(String entry) {
    int at = entry.lastIndexOf('@');
    if (at < 0) {
      return route(entry.trim());
    }
    String model = entry.substring(0, at).trim();
    String name = entry.substring(at + 1).trim();
    Upstream upstream =
        get(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no upstream named "
                            + name
                            + " (in "
                            + entry
                            + "); configured: "
                            + names()));
    if (model.isEmpty()) {
      throw new IllegalArgumentException("no model before @ in " + entry);
    }
    return new Target(upstream, model, upstream.upstreamModel(model));
  }

  private List<String> names() {
    return new ArrayList<>(upstreams.keySet());
  }
}
