package dev.warden.pii;

import dev.warden.call.refusal.PiiBlockedRefusal;
import dev.warden.call.refusal.RedactionFailedRefusal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The redaction engine: runs every detector over a text, resolves overlaps and applies each type's
 * {@link PiiAction}. Build one per {@link PiiPolicy} and share it: it is immutable and thread-safe
 * (the {@link PlaceholderVault} passed in carries the per-request state).
 *
 * <p>Overlaps: secrets win over custom types, which win over the other built-in types; within a
 * tier the longer match wins, then the earlier one. Every character is replaced at most once.
 *
 * <p>Failures: a {@link PiiBlockedRefusal} when a value's type is {@link PiiAction#BLOCK}; any
 * other failure (a detector throwing, a custom pattern over its budget) is a {@link
 * RedactionFailedRefusal}. Neither message contains a value.
 */
public final class PiiEngine {

  private static final Comparator<Detection> WINNER_FIRST =
      Comparator.comparingInt(Detection::priority)
          .reversed()
          .thenComparing(Comparator.comparingInt(Detection::length).reversed())
          .thenComparingInt(Detection::start);

  private final PiiPolicy policy;
  private final List<Detector> before;
  private final NumberDetector numbers;
  private final Map<String, NumberDetector> tenantNumbers;
  private final List<Detector> after;
  private final ThreadLocal<Mac> macs;

  /** An engine with the built-in detectors and the policy's custom types. */
  public PiiEngine(PiiPolicy policy) {
    this(policy, List.of());
  }

  /**
   * An engine with the built-in detectors, the policy's custom types and {@code extraDetectors}
   * (run for every tenant, after the built-in ones).
   */
  public PiiEngine(PiiPolicy policy, List<? extends Detector> extraDetectors) {
    this.policy = Objects.requireNonNull(policy, "policy");
    List<Detector> list = new ArrayList<>();
    if (!policy.allowedEverywhere(EntityType.SECRET)) {
      list.add(new SecretDetector());
    }
    if (!policy.allowedEverywhere(EntityType.EMAIL)) {
      list.add(new EmailDetector());
    }
    if (!policy.allowedEverywhere(EntityType.IP)) {
      list.add(new Ipv6Detector());
    }
    if (!policy.allowedEverywhere(EntityType.MBI)) {
      list.add(new MbiDetector());
    }
    this.before = List.copyOf(list);
    // phone regions differ per tenant: one number detector per tenant with regions of its own
    this.numbers = numbers(policy, policy.phoneRegions(null));
    Map<String, NumberDetector> perTenant = new HashMap<>();
    policy.tenantPhoneRegions().forEach((t, regions) -> perTenant.put(t, numbers(policy, regions)));
    this.tenantNumbers = Map.copyOf(perTenant);
    list = new ArrayList<>(policy.globalDetectors());
    list.addAll(extraDetectors);
    this.after = List.copyOf(list);
    byte[] key = policy.hashKey();
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable", e);
              }
            });
  }

  private static NumberDetector numbers(PiiPolicy policy, List<String> regions) {
    return new NumberDetector(
        regions,
        !policy.allowedEverywhere(EntityType.PHONE),
        !policy.allowedEverywhere(EntityType.CARD),
        !policy.allowedEverywhere(EntityType.IBAN),
        !policy.allowedEverywhere(EntityType.SSN),
        !policy.allowedEverywhere(EntityType.IP),
        !policy.allowedEverywhere(EntityType.DOB));
  }

  /** The policy this engine applies. */
  public PiiPolicy policy() {
    return policy;
  }

  /**
   * Redacts {@code text} for {@code tenant} (nullable: no tenant-specific types), recording
   * placeholders in {@code vault}.
   *
   * @throws PiiBlockedRefusal when the text holds a value of a blocked type
   * @throws RedactionFailedRefusal on any other failure
   */
  public TextRedaction redact(String text, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    String redacted = redact(text, tenant, vault, counts);
    return new TextRedaction(redacted, counts.snapshot());
  }

  /**
   * The detections that redaction would act on, overlaps resolved, in text order (including those
   * of allowed types). For tests and diagnostics; holds ranges only.
   *
   * @throws RedactionFailedRefusal when a detector fails
   */
  public List<Detection> detect(String text, String tenant) {
    try {
      return resolve(text, tenant);
    } catch (RuntimeException | StackOverflowError e) {
      throw new RedactionFailedRefusal("PII detection failed", e);
    }
  }

  /**
   * Redacts a JSON text (tool-call arguments, a JSONL line): string values are redacted and
   * re-escaped, numbers outside strings are replaced by string literals; the result stays valid
   * JSON when the input was.
   *
   * @throws PiiBlockedRefusal when the text holds a value of a blocked type
   * @throws RedactionFailedRefusal on any other failure
   */
  public TextRedaction redactJson(String json, String tenant, PlaceholderVault vault) {
    Counts counts = new Counts();
    String redacted = redactJson(json, tenant, vault, counts);
    return new TextRedaction(redacted, counts.snapshot());
  }

  String redactJson(String json, String tenant, PlaceholderVault vault, Counts counts) {
    if (json == null || json.isEmpty() || !policy.enabled()) {
      return json;
    }
    try {
      return JsonText.redact(
          json, (segment, quote) -> redact(segment, tenant, vault, counts, quote));
    } catch (PiiBlockedRefusal | RedactionFailedRefusal e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new RedactionFailedRefusal("PII redaction failed", e);
    }
  }

  String redact(String text, String tenant, PlaceholderVault vault, Counts counts) {
    return redact(text, tenant, vault, counts, false);
  }

  /**
   * Redacts into {@code counts}; the fail-closed entry point of everything in this package. With
   * {@code quote}, each replacement is written as a JSON string literal.
   */
  String redact(String text, String tenant, PlaceholderVault vault, Counts counts, boolean quote) {
    if (text == null || text.isEmpty() || !policy.enabled()) {
      return text;
    }
    try {
      List<Detection> found = resolve(text, tenant);
      if (found.isEmpty()) {
        return text;
      }
      StringBuilder out = new StringBuilder(text.length() + 16 * found.size());
      int last = 0;
      for (Detection d : found) {
        PiiAction action = policy.action(d.type(), tenant);
        if (action == PiiAction.ALLOW) {
          continue;
        }
        if (action == PiiAction.BLOCK) {
          throw new PiiBlockedRefusal(d.type().name());
        }
        String value = text.substring(d.start(), d.end());
        String replacement = replacement(action, d.type(), value, vault);
        out.append(text, last, d.start());
        if (quote) {
          out.append('"').append(JsonText.escape(replacement)).append('"');
        } else {
          out.append(replacement);
        }
        last = d.end();
        counts.add(d.type());
      }
      if (last == 0) {
        return text;
      }
      return out.append(text, last, text.length()).toString();
    } catch (PiiBlockedRefusal | RedactionFailedRefusal e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new RedactionFailedRefusal("PII redaction failed", e);
    }
  }

  private List<Detection> resolve(String text, String tenant) {
    List<Detection> all = new ArrayList<>();
    for (Detector d : before) {
      d.detect(text, all);
    }
    (tenant == null ? numbers : tenantNumbers.getOrDefault(tenant, numbers)).detect(text, all);
    for (Detector d : after) {
      d.detect(text, all);
    }
    for (Detector d : policy.tenantDetectors(tenant)) {
      d.detect(text, all);
    }
    for (Detection d : all) {
      if (d.end() > text.length()) {
        throw new IllegalStateException("Detection outside the text");
      }
    }
    if (all.size() <= 1) {
      return all;
    }
    all.sort(Comparator.comparingInt(Detection::start));
    List<Detection> kept = new ArrayList<>(all.size());
    List<Detection> cluster = new ArrayList<>();
    int clusterEnd = -1;
    for (Detection d : all) {
      if (d.start() >= clusterEnd && !cluster.isEmpty()) {
        settle(cluster, kept);
      }
      cluster.add(d);
      clusterEnd = Math.max(clusterEnd, d.end());
    }
    settle(cluster, kept);
    return kept;
  }

  /** Resolves one cluster of transitively overlapping detections into {@code kept}, in order. */
  private static void settle(List<Detection> cluster, List<Detection> kept) {
    if (cluster.size() == 1) {
      kept.add(cluster.get(0));
    } else if (!cluster.isEmpty()) {
      cluster.sort(WINNER_FIRST);
      List<Detection> winners = new ArrayList<>();
      for (Detection d : cluster) {
        boolean free = true;
        for (Detection w : winners) {
          if (w.overlaps(d)) {
            free = false;
            break;
          }
        }
        if (free) {
          winners.add(d);
        }
      }
      winners.sort(Comparator.comparingInt(Detection::start));
      kept.addAll(winners);
    }
    cluster.clear();
  }

  private String replacement(PiiAction action, EntityType type, String value, PlaceholderVault v) {
    switch (action) {
      case PLACEHOLDER:
        return v.placeholder(type, value);
      case MASK:
        return Masks.mask(type, value);
      case HASH:
        return "<" + type.name() + "_HASH_" + hash(type, value) + ">";
      default:
        throw new IllegalStateException("Unexpected action " + action);
    }
  }

  private String hash(EntityType type, String value) {
    Mac mac = macs.get();
    mac.update(type.name().getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder(8);
    for (int i = 0; i < 4; i++) {
      hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16))
          .append(Character.forDigit(digest[i] & 0xF, 16));
    }
    return hex.toString();
  }
}
