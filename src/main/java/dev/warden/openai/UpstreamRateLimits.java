package dev.warden.openai;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import dev.warden.openai.credential.CredentialProvider;
import dev.warden.openai.credential.UpstreamCredential;
import dev.warden.openai.error.OpenAiException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the upstream last said of its rate limits, per upstream, model and credential: OpenAI's
 * {@code x-ratelimit-limit-*}, {@code x-ratelimit-remaining-*} and {@code x-ratelimit-reset-*}
 * headers (requests and tokens) of each answer, read by {@link OpenAiTransport}. Before a call,
 * {@link #pacing(String)} says whether to wait: when the remaining requests or tokens are at or
 * below {@code warden.openai.pacing.min-remaining-share} of the limit (at 0 when the upstream sent
 * no limit), the next call waits until the reset the upstream announced instead of running into a
 * 429. A wait longer than {@code warden.openai.pacing.max-wait} is not taken: the call is refused
 * at once ({@link dev.warden.openai.error.UpstreamRateLimitedException}). In this server's memory,
 * like Warden's own rate limits. The credential is kept only as a short SHA-256 fingerprint.
 */
@ApplicationScoped
public class UpstreamRateLimits {

  static final String PREFIX = OpenAiSettings.PREFIX + "pacing.";

  /** Whether to pace at all. */
  public static final String ENABLED = PREFIX + "enabled";

  /** Share (0–1) of a limit at or below which the next call waits for the reset. */
  public static final String MIN_REMAINING_SHARE = PREFIX + "min-remaining-share";

  /** The longest wait taken; a longer one refuses the call. */
  public static final String MAX_WAIT = PREFIX + "max-wait";

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

  @Inject OpenAiSettings settings;
  @Inject CredentialProvider credentials;
  @Inject Clock clock;
  @Inject Upstreams upstreams;

  private boolean enabled;
  private double minRemainingShare;
  private Duration maxWait;
  private final ConcurrentMap<String, Observed> observed = new ConcurrentHashMap<>();
  private volatile Fingerprint lastFingerprint;

  /** For CDI. */
  public UpstreamRateLimits() {}

  /** For tests: everything given. */
  public UpstreamRateLimits(
      OpenAiSettings settings,
      CredentialProvider credentials,
      Clock clock,
      boolean enabled,
      double minRemainingShare,
      Duration maxWait) {
    this.settings = settings;
    this.credentials = credentials;
    this.clock = clock;
    this.enabled = enabled;
    this.minRemainingShare = minRemainingShare;
    this.maxWait = maxWait;
  }

  @PostConstruct
  void init() {
    Settings s = ConfigProducer.settings();
    enabled = !"false".equalsIgnoreCase(s.string(ENABLED, "true").trim());
    minRemainingShare = s.decimal(MIN_REMAINING_SHARE, 0.01, 0, 1);
    maxWait = s.duration(MAX_WAIT, Duration.ofSeconds(5));
  }

  /**
   * What to do before a call to {@code model}.
   *
   * @param delay how long to wait first (zero: go at once)
   * @param kind {@code requests} or {@code tokens}: the limit that is (nearly) spent
   * @param refuse whether the wait is longer than the longest one taken
   */
  public record Pacing(Duration delay, String kind, boolean refuse) {
    static final Pacing GO = new Pacing(Duration.ZERO, null, false);

    public boolean go() {
      return delay.isZero();
    }
  }

  /** One answer's figures: a limit, what remains of it, and when it resets. */
  record Limit(Long limit, long remaining, Instant resetAt) {}

  record Observed(Limit requests, Limit tokens) {}

  /**
   * Records the rate-limit headers of an answer of the default upstream to a call to {@code model}.
   */
  public void observe(String model, Function<String, String> header) {
    observe(Upstreams.DEFAULT, model, header);
  }

  /**
   * Records the rate-limit headers of an answer of {@code upstream} to a call to {@code model}, if
   * it has any.
   */
  public void observe(String upstream, String model, Function<String, String> header) {
    if (!enabled || model == null) {
      return;
    }
    Instant now = clock.instant();
    Limit requests = limit(header, "requests", now);
    Limit tokens = limit(header, "tokens", now);
    if (requests == null && tokens == null) {
      return;
    }
    key(upstream, model).ifPresent(k -> observed.put(k, new Observed(requests, tokens)));
  }

  /** Whether, and how long, a call to {@code model} should wait; see the class comment. */
  public Pacing pacing(String model) {
    if (!enabled || model == null || observed.isEmpty()) {
      return Pacing.GO;
    }
    Optional<String> key = key(upstreamOf(model), model);
    Observed o = key.map(observed::get).orElse(null);
    if (o == null) {
      return Pacing.GO;
    }
    Instant now = clock.instant();
    Pacing requests = pacing(o.requests(), "requests", now);
    Pacing tokens = pacing(o.tokens(), "tokens", now);
    Pacing longer = requests.delay().compareTo(tokens.delay()) >= 0 ? requests : tokens;
    if (longer.go()) {
      observed.remove(key.get(), o); // every reset has passed: what it said is over
    }
    return longer;
  }

  private Pacing pacing(Limit l, String kind, Instant now) {
    if (l == null || l.resetAt() == null) {
      return Pacing.GO;
    }
    long floor = l.limit() == null ? 0 : (long) Math.floor(l.limit() * minRemainingShare);
    if (l.remaining() > floor) {
      return Pacing.GO;
    }
    Duration wait = Duration.between(now, l.resetAt());
    if (wait.isNegative() || wait.isZero()) {
      return Pacing.GO;
    }
    return new Pacing(wait, kind, wait.compareTo(maxWait) > 0);
  }

  private static Limit limit(Function<String, String> header, String kind, Instant now) {
    Long remaining = number(header.apply("x-ratelimit-remaining-" + kind));
    if (remaining == null) {
      return null;
    }
    Duration reset = parseDuration(header.apply("x-ratelimit-reset-" + kind));
    return new Limit(
        number(header.apply("x-ratelimit-limit-" + kind)),
        remaining,
        reset == null ? null : now.plus(reset));
  }

  private static Long number(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long n = Long.parseLong(value.trim());
      return n < 0 ? null : n;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * OpenAI's reset durations: {@code 6m0s}, {@code 1s}, {@code 20ms}, {@code 1h2m3.5s}, or a bare
   * number of seconds. {@code null} when absent or unreadable.
   */
  public static Duration parseDuration(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      BigDecimal seconds = new BigDecimal(v);
      return seconds.signum() < 0 ? null : nanos(seconds.movePointRight(9));
    } catch (NumberFormatException notANumber) {
      // units follow
    }
    Matcher m = PART.matcher(v);
    BigDecimal total = BigDecimal.ZERO;
    int at = 0;
    while (at < v.length() && m.find(at) && m.start() == at) {
      BigDecimal n = new BigDecimal(m.group(1));
      int exponent =
          switch (m.group(2)) {
            case "h" -> 9;
            case "m" -> 9;
            case "s" -> 9;
            case "ms" -> 6;
            case "us", "µs" -> 3;
            default -> 0;
          };
      BigDecimal unit =
          switch (m.group(2)) {
            case "h" -> BigDecimal.valueOf(3600);
            case "m" -> BigDecimal.valueOf(60);
            default -> BigDecimal.ONE;
          };
      total = total.add(n.multiply(unit).movePointRight(exponent));
      at = m.end();
    }
    return at == v.length() ? nanos(total) : null;
  }

  private static Duration nanos(BigDecimal n) {
    try {
      return Duration.ofNanos(n.longValue());
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** The upstream a request for {@code model} is routed to. */
  private String upstreamOf(String model) {
    return upstreams == null ? Upstreams.DEFAULT : upstreams.route(model).upstream().name();
  }

  /**
   * Upstream, model and, for the default upstream, its credential (a rotated key starts afresh);
   * empty when the default upstream has no credential.
   */
  private Optional<String> key(String upstream, String model) {
    if (!Upstreams.DEFAULT.equals(upstream)) {
      return Optional.of(upstream + "|" + model);
    }
    String fingerprint;
    try {
      fingerprint = fingerprint(credentials.credential());
    } catch (OpenAiException noCredential) {
      return Optional.empty();
    }
    return Optional.of(settings.baseUrl() + "|" + model + "|" + fingerprint);
  }

  private String fingerprint(UpstreamCredential credential) {
    Fingerprint last = lastFingerprint;
    if (last != null && last.value.equals(credential.value())) {
      return last.hash;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(credential.value().getBytes(StandardCharsets.UTF_8));
      String hash = HexFormat.of().formatHex(digest, 0, 8);
      lastFingerprint = new Fingerprint(credential.value(), hash);
      return hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private record Fingerprint(String value, String hash) {
    @Override
    public String toString() {
      return "Fingerprint[" + hash + "]";
    }
  }
}
