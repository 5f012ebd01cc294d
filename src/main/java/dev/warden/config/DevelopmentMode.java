package dev.warden.config;

/**
 * Warden's development mode ({@value #KEY}): the one switch that allows what must never reach
 * production — the development user registry and its API key, generated or cleartext keysets,
 * JWT verification without issuer or audience. The quick start ({@code mvn -Prun}) and the test
 * servers turn it on; nothing else does. Outside it, Warden refuses to start on any of those
 * settings, with one message naming the setting.
 */
public final class DevelopmentMode {

  /** The configuration key ({@code WARDEN_DEV_MODE}); {@code false} unless set. */
  public static final String KEY = "warden.dev-mode";

  private DevelopmentMode() {}

  /** Whether {@code settings} turn development mode on. */
  public static boolean on(Settings settings) {
    return settings.string(KEY).map(Boolean::parseBoolean).orElse(false);
  }
}
