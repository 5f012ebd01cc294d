package dev.warden.crypto;

import com.google.crypto.tink.Aead;
import dev.warden.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * The key-encryption key (KEK) that Warden's encrypted keysets are wrapped with, as a Tink {@link
 * Aead}. Two sources, chosen by which keys are set (setting both is an error):
 *
 * <ul>
 *   <li><b>An AES key in an HSM</b>, through PKCS#11 and Java's {@code SunPKCS11} provider: either
 *       a provider configuration file ({@value #PKCS11_CONFIG}) or the token's library ({@value
 *       #PKCS11_LIBRARY}) with {@value #PKCS11_SLOT} or {@value #PKCS11_SLOT_LIST_INDEX}; the user
 *       PIN from a file ({@value #PKCS11_PIN_FILE}) or an environment variable named by {@value
 *       #PKCS11_PIN_ENV}; the key's label ({@value #PKCS11_KEY_LABEL}). AES-GCM runs inside the
 *       token ({@link Pkcs11Aead}); the key never leaves it.
 *   <li><b>A Tink AEAD keyset</b> (small installations): a file ({@value #KEYSET_FILE}) or the JSON
 *       itself ({@value #KEYSET}, best set through the environment variable {@code
 *       WARDEN_AUDIT_KEK_KEYSET}).
 * </ul>
 *
 * <p>KEKs are cached per configuration, so the token is opened and logged into once per process.
 * Error messages name the setting, never the PIN or key material.
 */
public final class KeyEncryptionKey {
  /** The prefix of every KEK setting. */
  public static final String PREFIX = "warden.audit.kek.";

  /** A cleartext Tink AEAD keyset file used as the KEK. */
  public static final String KEYSET_FILE = "warden.audit.kek.keyset-file";

  /**
   * A cleartext Tink AEAD keyset used as the KEK, inline (environment {@code
   * WARDEN_AUDIT_KEK_KEYSET}).
   */
  public static final String KEYSET = "warden.audit.kek.keyset";

  /** A {@code SunPKCS11} provider configuration file (library, slot, attributes). */
  public static final String PKCS11_CONFIG = "warden.audit.kek.pkcs11.config";

  /** The PKCS#11 library of the token, when no configuration file is given. */
  public static final String PKCS11_LIBRARY = "warden.audit.kek.pkcs11.library";

  /** The slot id of the token (with {@value #PKCS11_LIBRARY}). */
  public static final String PKCS11_SLOT = "warden.audit.kek.pkcs11.slot";

  /** The index of the token's slot in the library's slot list (with {@value #PKCS11_LIBRARY}). */
  public static final String PKCS11_SLOT_LIST_INDEX = "warden.audit.kek.pkcs11.slot-list-index";

  /** A file holding the token's user PIN. */
  public static final String PKCS11_PIN_FILE = "warden.audit.kek.pkcs11.pin-file";

  /** The name of an environment variable holding the token's user PIN. */
  public static final String PKCS11_PIN_ENV = "warden.audit.kek.pkcs11.pin-env";

  /** The label (PKCS#11 {@code CKA_LABEL}, the key store alias) of the AES key in the token. */
  public static final String PKCS11_KEY_LABEL = "warden.audit.kek.pkcs11.key-label";

  private static final List<String> PKCS11_KEYS =
      List.of(
          PKCS11_CONFIG,
          PKCS11_LIBRARY,
          PKCS11_SLOT,
          PKCS11_SLOT_LIST_INDEX,
          PKCS11_PIN_FILE,
          PKCS11_PIN_ENV,
          PKCS11_KEY_LABEL);

  private static final Map<String, Aead> CACHE = new ConcurrentHashMap<>();

  private KeyEncryptionKey() {}

  /** Whether {@code settings} configure a KEK at all (it may still be unusable). */
  public static boolean configured(Settings settings) {
    return settings.string(KEYSET_FILE).isPresent()
        || settings.string(KEYSET).isPresent()
        || PKCS11_KEYS.stream().anyMatch(k -> settings.string(k).isPresent());
  }

  /**
   * The KEK of {@code settings}, or empty when none is configured.
   *
   * @throws IllegalArgumentException if it is configured but unusable (no such file, wrong PIN, no
   *     key with that label, two sources at once); the message names the setting
   */
  public static Optional<Aead> fromSettings(Settings settings) {
    boolean pkcs11 = PKCS11_KEYS.stream().anyMatch(k -> settings.string(k).isPresent());
    boolean keyset =
        settings.string(KEYSET_FILE).isPresent() || settings.string(KEYSET).isPresent();
    if (pkcs11 && keyset) {
      throw new IllegalArgumentException(
          "two key-encryption keys are configured: set either "
              + PREFIX
              + "pkcs11.* or "
              + KEYSET_FILE
              + "/"
              + KEYSET
              + ", not both");
    }
    if (!pkcs11 && !keyset) {
      return Optional.empty();
    }
    String cacheKey = cacheKey(settings);
    Aead cached = CACHE.get(cacheKey);
    if (cached != null) {
      return Optional.of(cached);
    }
    Aead kek = pkcs11 ? pkcs11(settings) : keysetKek(settings);
    CACHE.put(cacheKey, kek);
    return Optional.of(kek);
  }

  private static String cacheKey(Settings settings) {
    StringBuilder b = new StringBuilder();
    List<String> keys = new ArrayList<>(PKCS11_KEYS);
    keys.add(KEYSET_FILE);
    for (String k : keys) {
      b.append(k).append('=').append(settings.string(k).orElse("")).append('\n');
    }
    // the inline keyset is its own identity; keep only a digest of it in the map key
    settings
        .string(KEYSET)
        .ifPresent(json -> b.append(KEYSET).append('#').append(Arrays.hashCode(sha256(json))));
    return b.toString();
  }

  private static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Aead keysetKek(Settings settings) {
    Keysets.register();
    Optional<String> file = settings.string(KEYSET_FILE);
    com.google.crypto.tink.KeysetHandle handle;
    if (file.isPresent()) {
      try {
        handle = Keysets.readFile(Path.of(file.get()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(KEYSET_FILE + ": " + e.getMessage(), e);
      }
    } else {
      handle = Keysets.parseJson(settings.string(KEYSET).orElseThrow(), KEYSET);
    }
    try {
      return Keysets.aead(handle);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          (file.isPresent() ? KEYSET_FILE : KEYSET)
              + " must be a Tink AEAD keyset (KeysetTool new-aead)");
    }
  }

  private static Aead pkcs11(Settings settings) {
    String label =
        settings
            .string(PKCS11_KEY_LABEL)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the PKCS#11 key-encryption key needs "
                            + PKCS11_KEY_LABEL
                            + " (the label of the AES key in the token)"));
    char[] pin = pin(settings);
    Provider provider = provider(settings);
    try {
      KeyStore store;
      try {
        store = KeyStore.getInstance("PKCS11", provider);
        store.load(null, pin);
      } catch (IOException | GeneralSecurityException | ProviderException e) {
        throw new IllegalArgumentException(
            "the PKCS#11 token refused the log-in with the PIN of "
                + pinSource(settings)
                + " ("
                + rootMessage(e)
                + ")");
      }
      Key key;
      try {
        key = store.getKey(label, null);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            PKCS11_KEY_LABEL
                + ": cannot read the key labelled "
                + label
                + " ("
                + rootMessage(e)
                + ")");
      }
      if (!(key instanceof SecretKey) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
        throw new IllegalArgumentException(
            PKCS11_KEY_LABEL
                + ": the token holds no AES secret key labelled "
                + label
                + (key == null ? "" : " (it is a " + key.getAlgorithm() + " key)"));
      }
      Pkcs11Aead aead = new Pkcs11Aead(provider, key);
      selfTest(aead, label);
      return aead;
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  private static void selfTest(Aead aead, String label) {
    byte[] probe = "warden.kek.probe".getBytes(StandardCharsets.UTF_8);
    try {
      byte[] back = aead.decrypt(aead.encrypt(probe, probe), probe);
      if (!Arrays.equals(back, probe)) {
        throw new GeneralSecurityException("round trip mismatch");
      }
    } catch (GeneralSecurityException | ProviderException e) {
      throw new IllegalArgumentException(
          PKCS11_KEY_LABEL
              + ": the key labelled "
              + label
              + " cannot encrypt with AES-GCM in the token ("
              + rootMessage(e)
              + ")");
    }
  }

  private static Provider provider(Settings settings) {
    Optional<String> config = settings.string(PKCS11_CONFIG);
    String source;
    String arg;
    if (config.isPresent()) {
      if (!Files.isReadable(Path.of(config.get()))) {
        throw new IllegalArgumentException(PKCS11_CONFIG + ": cannot read " + config.get());
      }
      source = PKCS11_CONFIG;
      arg = config.get();
    } else {
      String library =
          settings
              .string(PKCS11_LIBRARY)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "the PKCS#11 key-encryption key needs "
                              + PKCS11_CONFIG
                              + " or "
                              + PKCS11_LIBRARY));
      if (!Files.isReadable(Path.of(library))) {
        throw new IllegalArgumentException(PKCS11_LIBRARY + ": cannot read " + library);
      }
      StringBuilder b =
          new StringBuilder("--name=warden-kek\nlibrary=").append(library).append('\n');
      Optional<String> slot = settings.string(PKCS11_SLOT);
      Optional<String> index = settings.string(PKCS11_SLOT_LIST_INDEX);
      if (slot.isPresent() && index.isPresent()) {
        throw new IllegalArgumentException(
            "set " + PKCS11_SLOT + " or " + PKCS11_SLOT_LIST_INDEX + ", not both");
      }
      slot.ifPresent(s -> b.append("slot=").append(number(PKCS11_SLOT, s)).append('\n'));
      index.ifPresent(
          s -> b.append("slotListIndex=").append(number(PKCS11_SLOT_LIST_INDEX, s)).append('\n'));
      source = PKCS11_LIBRARY;
      arg = b.toString();
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new IllegalArgumentException(
          source + ": this Java runtime has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
    }
    try {
      return base.configure(arg);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          source + ": the PKCS#11 token could not be opened (" + rootMessage(e) + ")");
    }
  }

  private static long number(String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number");
    }
  }

  private static String pinSource(Settings settings) {
    return settings.string(PKCS11_PIN_FILE).isPresent() ? PKCS11_PIN_FILE : PKCS11_PIN_ENV;
  }

  private static char[] pin(Settings settings) {
    Optional<String> file = settings.string(PKCS11_PIN_FILE);
    Optional<String> env = settings.string(PKCS11_PIN_ENV);
    if (file.isPresent() && env.isPresent()) {
      throw new IllegalArgumentException(
          "set " + PKCS11_PIN_FILE + " or " + PKCS11_PIN_ENV + ", not both");
    }
    String pin;
    if (file.isPresent()) {
      try {
        pin = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(PKCS11_PIN_FILE + ": cannot read " + file.get());
      }
    } else if (env.isPresent()) {
      pin = System.getenv(env.get());
      if (pin == null || pin.isEmpty()) {
        throw new IllegalArgumentException(
            PKCS11_PIN_ENV + " names the environment variable " + env.get() + ", which is not set");
      }
    } else {
      throw new IllegalArgumentException(
          "the PKCS#11 key-encryption key needs the token's PIN: set "
              + PKCS11_PIN_FILE
              + " or "
              + PKCS11_PIN_ENV);
    }
    if (pin.isEmpty()) {
      throw new IllegalArgumentException(PKCS11_PIN_FILE + " is empty");
    }
    return pin.toCharArray();
  }

  /** The innermost message of {@code e} (PKCS#11 return codes such as CKR_PIN_INCORRECT). */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getClass().getSimpleName();
    while (t != null) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return message;
  }
}
