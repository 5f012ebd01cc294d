package dev.warden.openai.credential;

import dev.warden.config.ConfigProducer;
import dev.warden.config.Settings;
import dev.warden.openai.OpenAiSettings;
import dev.warden.openai.UpstreamKind;
import dev.warden.openai.error.ErrorInfo;
import dev.warden.openai.error.NoCredentialException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The default {@link CredentialProvider}: the key from {@code warden.openai.api-key-file} (a
 * mounted secret, re-read whenever the file changes), else {@code warden.openai.api-key}, else
 * {@code OPENAI_API_KEY}. Sent as {@code Authorization: Bearer <key>}, or as the bare key in the
 * header named by {@code warden.openai.auth-header} (Azure OpenAI: {@code api-key}).
 */
@ApplicationScoped
public class ConfiguredCredentialProvider implements CredentialProvider {

  private static final String UPSTREAM = "warden.upstream.";

  private final Supplier<Settings> settings;
  private final String authHeader;

  /** The named upstream whose key this is; {@code null}: the default upstream's. */
  private final String upstream;

  private final boolean required;
  private volatile CachedFile cached;

  /** For the CDI client proxy only. */
  protected ConfiguredCredentialProvider() {
    this(null, null);
  }

  @Inject
  public ConfiguredCredentialProvider(OpenAiSettings openAi) {
    this(ConfigProducer::settings, openAi.authHeader());
  }

  /** For tests: any settings source. */
  public ConfiguredCredentialProvider(Supplier<Settings> settings, String authHeader) {
    this(settings, null, authHeader, true);
  }

  private ConfiguredCredentialProvider(
      Supplier<Settings> settings, String upstream, String authHeader, boolean required) {
    this.settings = settings;
    this.upstream = upstream;
    this.authHeader = authHeader;
    this.required = required;
  }

  /**
   * The credential of a named upstream: the key from {@code warden.upstream.<name>.api-key-file},
   * else {@code warden.upstream.<name>.api-key} (environment: {@code
   * WARDEN_UPSTREAM_<NAME>_API_KEY}), sent as {@code api-key: <key>} to Azure OpenAI and as {@code
   * Authorization: Bearer <key>} to the others. An OpenAI-compatible server may need no key: its
   * provider then answers {@code null} (no header) instead of failing.
   */
  public static ConfiguredCredentialProvider forUpstream(
      Supplier<Settings> settings, String name, UpstreamKind kind) {
    return new ConfiguredCredentialProvider(
        settings,
        name,
        kind == UpstreamKind.AZURE ? "api-key" : "Authorization",
        kind != UpstreamKind.OPENAI_COMPATIBLE);
  }

  @Override
  public UpstreamCredential credential() {
    Settings s = settings.get();
    boolean openAi = upstream == null;
    String prefix = openAi ? OpenAiSettings.PREFIX : UPSTREAM + upstream + ".";
    Optional<String> configured =
        openAi
            ? s.string(OpenAiSettings.PREFIX + "api-key-file")
                .map(file -> fromFile(Path.of(file), prefix))
                .or(() -> s.string(OpenAiSettings.PREFIX + "api-key"))
                .or(() -> s.string("OPENAI_API_KEY"))
            : s.string(UPSTREAM + upstream + ".api-key-file")
                .map(file -> fromFile(Path.of(file), prefix))
                .or(() -> s.string(UPSTREAM + upstream + ".api-key"));
    if (configured.isEmpty() && !required) {
      return null;
    }
    String key =
        configured.orElseThrow(
            () ->
                new NoCredentialException(
                    ErrorInfo.transport(
                        openAi
                            ? "no upstream API key configured: set OPENAI_API_KEY,"
                                + " warden.openai.api-key or warden.openai.api-key-file"
                            : "no upstream API key configured: set "
                                + prefix
                                + "api-key or "
                                + prefix
                                + "api-key-file"),
                    null));
    return "authorization".equalsIgnoreCase(authHeader)
        ? UpstreamCredential.bearer(key)
        : new UpstreamCredential(authHeader, key);
  }

  private String fromFile(Path file, String prefix) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      CachedFile current = cached;
      if (current != null
          && current.path.equals(file)
          && current.modified.equals(modified)
          && current.size == size) {
        return current.key;
      }
      String key = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (key.isEmpty()) {
        throw new NoCredentialException(
            ErrorInfo.transport("the API key file named by " + prefix + "api-key-file is empty"),
            null);
      }
      cached = new CachedFile(file, modified, size, key);
      return key;
    } catch (IOException e) {
      throw new NoCredentialException(
          ErrorInfo.transport(
              "the API key file named by "
                  + prefix
                  + "api-key-file cannot be read ("
                  + e.getClass().getSimpleName()
                  + ")"),
          new UncheckedIOException(e));
    }
  }

  /** Exposed for tests: whether a key file is cached. */
  Optional<Path> cachedFile() {
    CachedFile c = cached;
    return c == null ? Optional.empty() : Optional.of(c.path);
  }

  private record CachedFile(Path path, FileTime modified, long size, String key) {
    @Override
    public String toString() {
      return "CachedFile[" + path + "]";
    }
  }
}
