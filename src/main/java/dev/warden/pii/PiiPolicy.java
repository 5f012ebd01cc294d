package dev.warden.pii;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.warden.config.Settings;
import dev.warden.crypto.KeysetPurpose;
import dev.warden.crypto.Keysets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The PII redaction configuration, read once from {@link Settings} and immutable afterwards.
 * Defaults are safe: secrets are blocked, every other built-in type becomes a placeholder.
 *
 * <table>
 *   <caption>Configuration keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code warden.pii.enabled}</td><td>{@code true}</td>
 *       <td>{@code false} turns redaction off (the request goes upstream unchanged)</td></tr>
 *   <tr><td>{@code warden.pii.action.<type>}</td>
 *       <td>{@code secret}: {@code block}; {@code email}, {@code phone}, {@code card},
 *           {@code iban}, {@code ssn}, {@code ip}, {@code dob}, {@code nhs_number}, {@code npi},
 *           {@code mbi} and custom types: {@code placeholder}</td>
 *       <td>what happens to a value of that type: {@code placeholder} ({@code <EMAIL_1>},
 *           reversible), {@code mask} ({@code ****1234}), {@code hash}
 *           ({@code <EMAIL_HASH_3f9a1c2b>}), {@code block} (the request is refused) or
 *           {@code allow} (left as is)</td></tr>
 *   <tr><td>{@code warden.pii.phone.default-region}</td><td>{@code US}</td>
 *       <td>ISO 3166 region for phone numbers written without {@code +country}, when
 *           {@code warden.pii.phone.regions} is not set</td></tr>
 *   <tr><td>{@code warden.pii.phone.regions}</td><td>the default region</td>
 *       <td>comma-separated ISO 3166 regions whose national format is recognised, for every
 *           tenant</td></tr>
 *   <tr><td>{@code warden.pii.tenant.<tenant>.phone.regions}</td>
 *       <td>{@code warden.pii.phone.regions}</td>
 *       <td>the regions of one tenant, instead of the global list</td></tr>
 *   <tr><td>{@code warden.pii.hash.encrypted-keyset-file}</td><td>(none)</td>
 *       <td>the {@code hash} action's key: a Tink keyset of one raw HMAC-SHA256 key encrypted
 *           under the key-encryption key ({@code KeysetTool new-pii-hash}); without it (and
 *           without {@code warden.pii.hash.key}) Warden derives the key from the pseudonym key
 *           ({@link PiiProducer}), so tokens stay equal across restarts and servers</td></tr>
 *   <tr><td>{@code warden.pii.hash.key}</td><td>(none)</td>
 *       <td>development mode only: a cleartext secret (at least 16 characters) as the
 *           key</td></tr>
 *   <tr><td>{@code warden.pii.pattern.<NAME>}</td><td>(none)</td>
 *       <td>a custom type {@code NAME} for every tenant: a Java regular expression, its whole
 *           match is the value</td></tr>
 *   <tr><td>{@code warden.pii.dictionary.<NAME>}</td><td>(none)</td>
 *       <td>a custom type {@code NAME} for every tenant: comma-separated words or phrases
 *           (case-insensitive, whole words)</td></tr>
 *   <tr><td>{@code warden.pii.tenant.<tenant>.pattern.<NAME>}</td><td>(none)</td>
 *       <td>a custom type for one tenant only (employee ids, customer numbers), as above</td></tr>
 *   <tr><td>{@code warden.pii.tenant.<tenant>.dictionary.<NAME>}</td><td>(none)</td>
 *       <td>a custom dictionary for one tenant only, as above</td></tr>
 *   <tr><td>{@code warden.pii.tenant.<tenant>.action.<type>}</td>
 *       <td>{@code warden.pii.action.<type>}</td>
 *       <td>the action of a type (built-in or custom) for one tenant</td></tr>
 * </table>
 *
 * <p>{@code <type>} is the lower-case type name ({@code email}, {@code phone}, {@code card}, {@code
 * iban}, {@code ssn}, {@code ip}, {@code dob}, {@code secret}, {@code nhs_number}, {@code npi},
 * {@code mbi}, or a custom {@code NAME} in lower case); custom names are {@code
 * [A-Za-z][A-Za-z0-9_]*}. Tenant ids must not contain dots. Invalid values fail at start-up with an
 * {@link IllegalArgumentException} naming the key (never a pattern's match).
 */
public final class PiiPolicy {

  static final String PREFIX = "warden.pii.";

  /** A cleartext secret as the {@code hash} action's key (development mode only). */
  public static final String HASH_KEY = "warden.pii.hash.key";

  /** The {@code hash} action's key as a keyset encrypted under the key-encryption key. */
  public static final String HASH_ENCRYPTED_KEYSET_FILE = "warden.pii.hash.encrypted-keyset-file";

  private static final String HASH_KEY_TAG = "warden.pii.hash-key.v1";
  private static final String TENANT = PREFIX + "tenant.";
  private static final String PHONE_REGIONS = "phone.regions";

  private final boolean enabled;
  private final Map<String, PiiAction> actions;
  private final Map<String, Map<String, PiiAction>> tenantActions;
  private final String defaultRegion;
  private final List<String> phoneRegions;
  private final Map<String, List<String>> tenantPhoneRegions;
  private final byte[] hashKey;
  private final boolean hashKeyConfigured;
  private final List<PatternDetector> globalDetectors;
  private final Map<String, List<PatternDetector>> tenantDetectors;

  private PiiPolicy(
      boolean enabled,
      Map<String, PiiAction> actions,
      Map<String, Map<String, PiiAction>> tenantActions,
      String defaultRegion,
      List<String> phoneRegions,
      Map<String, List<String>> tenantPhoneRegions,
      byte[] hashKey,
      boolean hashKeyConfigured,
      List<PatternDetector> globalDetectors,
      Map<String, List<PatternDetector>> tenantDetectors) {
    this.enabled = enabled;
    this.actions = actions;
    this.tenantActions = tenantActions;
    this.defaultRegion = defaultRegion;
    this.phoneRegions = phoneRegions;
    this.tenantPhoneRegions = tenantPhoneRegions;
    this.hashKey = hashKey;
    this.hashKeyConfigured = hashKeyConfigured;
    this.globalDetectors = globalDetectors;
    this.tenantDetectors = tenantDetectors;
  }

  /** The defaults (no configuration at all), with a random hash key. */
  public static PiiPolicy defaults() {
    return from(new Settings(k -> Optional.empty(), List.of()));
  }

  /**
   * Reads the policy from {@code settings} (keys under {@code warden.pii.}).
   *
   * @throws IllegalArgumentException naming the key of an invalid value
   */
  public static PiiPolicy from(Settings settings) {
    String enabledValue = settings.string(PREFIX + "enabled", "true").toLowerCase(Locale.ROOT);
    if (!enabledValue.equals("true") && !enabledValue.equals("false")) {
      throw new IllegalArgumentException(PREFIX + "enabled must be true or false");
    }
    Map<String, PiiAction> actions = new HashMap<>();
    for (EntityType t : EntityType.BUILT_IN) {
      actions.put(t.name(), t.equals(EntityType.SECRET) ? PiiAction.BLOCK : PiiAction.PLACEHOLDER);
    }
    Map<String, Map<String, PiiAction>> tenantActions = new HashMap<>();
    List<PatternDetector> global = new ArrayList<>();
    Map<String, List<PatternDetector>> tenants = new HashMap<>();
    Map<String, List<String>> tenantRegions = new LinkedHashMap<>();
    for (String key : sortedNames(settings)) {
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String rest = key.substring(PREFIX.length());
      if (rest.startsWith("action.")) {
        Optional<String> value = settings.string(key);
        if (value.isPresent()) {
          actions.put(typeName(key, rest.substring(7)), PiiAction.parse(key, value.get()));
        }
      } else if (rest.startsWith("pattern.") || rest.startsWith("dictionary.")) {
        custom(settings, key, rest).ifPresent(global::add);
      } else if (key.startsWith(TENANT)) {
        String tail = key.substring(TENANT.length());
        int dot = tail.indexOf('.');
        if (dot <= 0) {
          continue;
        }
        String tenant = tail.substring(0, dot);
        String what = tail.substring(dot + 1);
        if (what.startsWith("action.")) {
          Optional<String> value = settings.string(key);
          if (value.isPresent()) {
            tenantActions
                .computeIfAbsent(tenant, t -> new HashMap<>())
                .put(typeName(key, what.substring(7)), PiiAction.parse(key, value.get()));
          }
        } else if (what.startsWith("pattern.") || what.startsWith("dictionary.")) {
          custom(settings, key, what)
              .ifPresent(d -> tenants.computeIfAbsent(tenant, t -> new ArrayList<>()).add(d));
        } else if (what.equals(PHONE_REGIONS)) {
          List<String> list = regions(key, settings.list(key));
          if (!list.isEmpty()) {
            tenantRegions.put(tenant, list);
          }
        }
      }
    }
    String region = settings.string(PREFIX + "phone.default-region", "US").toUpperCase(Locale.ROOT);
    if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
      throw new IllegalArgumentException(
          PREFIX + "phone.default-region is not a supported region: " + region);
    }
    List<String> phoneRegions =
        regions(PREFIX + PHONE_REGIONS, settings.list(PREFIX + PHONE_REGIONS));
    if (phoneRegions.isEmpty()) {
      phoneRegions = List.of(region);
    }
    Optional<String> key = settings.string(HASH_KEY);
    Optional<KeysetHandle> keyset =
        Keysets.fromSettings(settings, HASH_ENCRYPTED_KEYSET_FILE, KeysetPurpose.PII_HASH);
    byte[] hashKey;
    if (keyset.isPresent()) {
      hashKey = derive(keyset.get());
    } else if (key.isPresent()) {
      if (key.get().length() < 16) {
        throw new IllegalArgumentException(HASH_KEY + " must have at least 16 characters");
      }
      hashKey = key.get().getBytes(StandardCharsets.UTF_8);
    } else {
      hashKey = new byte[32];
      new SecureRandom().nextBytes(hashKey);
    }
    Map<String, Map<String, PiiAction>> frozenTenantActions = new LinkedHashMap<>();
    tenantActions.forEach((t, m) -> frozenTenantActions.put(t, Map.copyOf(m)));
    Map<String, List<PatternDetector>> frozenTenants = new LinkedHashMap<>();
    tenants.forEach((t, l) -> frozenTenants.put(t, List.copyOf(l)));
    return new PiiPolicy(
        enabledValue.equals("true"),
        Map.copyOf(actions),
        Collections.unmodifiableMap(frozenTenantActions),
        region,
        phoneRegions,
        Collections.unmodifiableMap(tenantRegions),
        hashKey,
        keyset.isPresent() || key.isPresent(),
        List.copyOf(global),
        Collections.unmodifiableMap(frozenTenants));
  }

  /** The hash key of a raw HMAC-SHA256 keyset: its MAC of a fixed tag (the key stays in Tink). */
  private static byte[] derive(KeysetHandle keyset) {
    try {
      Mac mac = keyset.getPrimitive(RegistryConfiguration.get(), Mac.class);
      byte[] derived = mac.computeMac(HASH_KEY_TAG.getBytes(StandardCharsets.UTF_8));
      if (derived.length != 32) {
        throw new IllegalArgumentException(
            HASH_ENCRYPTED_KEYSET_FILE
                + " must hold one raw HMAC-SHA256 key (KeysetTool new-pii-hash)");
      }
      return derived;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(HASH_ENCRYPTED_KEYSET_FILE + " is not a MAC keyset");
    }
  }

  /**
   * Whether the hash key came from configuration ({@value #HASH_ENCRYPTED_KEYSET_FILE} or {@value
   * #HASH_KEY}) rather than being random.
   */
  public boolean hashKeyConfigured() {
    return hashKeyConfigured;
  }

  /** This policy with {@code key} (32 bytes or more) as the hash key. */
  public PiiPolicy withHashKey(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("the hash key is too short");
    }
    return new PiiPolicy(
        enabled,
        actions,
        tenantActions,
        defaultRegion,
        phoneRegions,
        tenantPhoneRegions,
        key.clone(),
        true,
        globalDetectors,
        tenantDetectors);
  }

  /** Upper-cased, without duplicates, each a region libphonenumber knows. */
  private static List<String> regions(String key, List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      String r = v.trim().toUpperCase(Locale.ROOT);
      if (r.isEmpty() || out.contains(r)) {
        continue;
      }
      if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(r)) {
        throw new IllegalArgumentException(key + " names an unsupported region: " + r);
      }
      out.add(r);
    }
    return List.copyOf(out);
  }

  private static TreeSet<String> sortedNames(Settings settings) {
    TreeSet<String> sorted = new TreeSet<>();
    Iterable<String> names = settings.names();
    if (names != null) {
      names.forEach(sorted::add);
    }
    return sorted;
  }

  private static String typeName(String key, String name) {
    try {
      return EntityType.of(name).name();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " names an invalid type", e);
    }
  }

  private static Optional<PatternDetector> custom(Settings settings, String key, String what) {
    boolean dictionary = what.startsWith("dictionary.");
    String name = what.substring(dictionary ? 11 : 8);
    EntityType type;
    try {
      type = EntityType.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " names an invalid type", e);
    }
    if (EntityType.BUILT_IN.contains(type)) {
      throw new IllegalArgumentException(key + " reuses the built-in type " + type);
    }
    if (dictionary) {
      List<String> words = settings.list(key);
      return words.isEmpty()
          ? Optional.empty()
          : Optional.of(PatternDetector.dictionary(type, words));
    }
    Optional<String> regex = settings.string(key);
    if (regex.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PatternDetector(type, Pattern.compile(regex.get())));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(key + " is not a valid regular expression", e);
    }
  }

  /** Whether redaction is on. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The action for {@code type} in {@code tenant} (nullable): the tenant's override, else the
   * global setting, else the default ({@code BLOCK} for secrets, {@code PLACEHOLDER} otherwise).
   */
  public PiiAction action(EntityType type, String tenant) {
    if (tenant != null) {
      Map<String, PiiAction> overrides = tenantActions.get(tenant);
      if (overrides != null) {
        PiiAction a = overrides.get(type.name());
        if (a != null) {
          return a;
        }
      }
    }
    return actions.getOrDefault(type.name(), PiiAction.PLACEHOLDER);
  }

  /** Whether {@code type} is {@link PiiAction#ALLOW}ed globally and for every tenant. */
  boolean allowedEverywhere(EntityType type) {
    if (action(type, null) != PiiAction.ALLOW) {
      return false;
    }
    for (Map<String, PiiAction> m : tenantActions.values()) {
      PiiAction a = m.get(type.name());
      if (a != null && a != PiiAction.ALLOW) {
        return false;
      }
    }
    return true;
  }

  /**
   * The region of phone numbers written without a country code when {@code
   * warden.pii.phone.regions} is not set.
   */
  public String defaultRegion() {
    return defaultRegion;
  }

  /**
   * The regions whose national phone format is recognised for {@code tenant} (nullable): the
   * tenant's own list, else the global one; never empty.
   */
  public List<String> phoneRegions(String tenant) {
    return tenant == null ? phoneRegions : tenantPhoneRegions.getOrDefault(tenant, phoneRegions);
  }

  /** The tenants with phone regions of their own. */
  Map<String, List<String>> tenantPhoneRegions() {
    return tenantPhoneRegions;
  }

  /** A copy of the hash key. */
  byte[] hashKey() {
    return hashKey.clone();
  }

  /** The custom detectors of every tenant. */
  public List<PatternDetector> globalDetectors() {
    return globalDetectors;
  }

  /** The custom detectors of one tenant (empty when none or when {@code tenant} is null). */
  public List<PatternDetector> tenantDetectors(String tenant) {
    return tenant == null ? List.of() : tenantDetectors.getOrDefault(tenant, List.of());
  }

  @Override
  public String toString() {
    return "PiiPolicy[enabled="
        + enabled
        + ", actions="
        + actions
        + ", tenants="
        + tenantDetectors.keySet()
        + ", regions="
        + phoneRegions
        + ", tenantRegions="
        + tenantPhoneRegions
        + "]";
  }
}
