package dev.warden.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The published prompts: those listed in the lock file ({@code prompts.lock}, one {@code <id>
 * <version> <sha256>} a line, {@code #} comments) whose templates ({@code <id>/<version>}) still
 * have the recorded hash. A published version never changes: a changed text is a new version.
 * {@link #problems()} lists every template that is missing, changed or malformed; Warden refuses to
 * start while there is one.
 */
public final class PromptCatalog {

  /** Where the build puts {@code config/prompts} in the WAR (on the class path). */
  public static final String CLASSPATH_ROOT = "META-INF/warden/prompts/";

  public static final String LOCK_FILE = "prompts.lock";

  private final Map<String, List<PromptTemplate>> byId = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  /**
   * Reads the lock file and the templates it lists through {@code read} (a path relative to the
   * prompts folder → its bytes, {@code null} when absent).
   */
  public PromptCatalog(Function<String, byte[]> read) {
    byte[] lock = read.apply(LOCK_FILE);
    if (lock == null) {
      return; // no published prompts
    }
    int n = 0;
    for (String raw : new String(lock, StandardCharsets.UTF_8).split("\n")) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length != 3 || !SemVer.isValid(f[1]) || !f[2].matches("[0-9a-f]{64}")) {
        problems.add(LOCK_FILE + " line " + n + ": expected <id> <semantic version> <sha256>");
        continue;
      }
      String id = f[0];
      String version = f[1];
      if (find(id, version).isPresent()) {
        problems.add(LOCK_FILE + " line " + n + ": " + id + " " + version + " listed twice");
        continue;
      }
      byte[] text = read.apply(id + "/" + version);
      if (text == null) {
        problems.add("prompt " + id + " " + version + " is published but its template is missing");
        continue;
      }
      PromptTemplate template;
      try {
        template = PromptTemplate.parse(id, version, text);
      } catch (IllegalArgumentException e) {
        problems.add("prompt " + e.getMessage());
        continue;
      }
      if (!template.ref().sha256().equals(f[2])) {
        problems.add(
            "prompt "
                + id
                + " "
                + version
                + " changed after it was published (sha256 "
                + template.ref().sha256()
                + ", published "
                + f[2]
                + "): publish the new text as a new version");
        continue;
      }
      byId.computeIfAbsent(id, k -> new ArrayList<>()).add(template);
    }
    byId.values().forEach(l -> l.sort(Comparator.comparing(t -> SemVer.parse(t.ref().version()))));
  }

  /** The catalog published in the WAR, read through {@code loader}. */
  public static PromptCatalog fromClasspath(ClassLoader loader) {
    return new PromptCatalog(
        path -> {
          try (InputStream in = loader.getResourceAsStream(CLASSPATH_ROOT + path)) {
            return in == null ? null : in.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Everything that keeps the catalog from being used; empty when it is sound. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * The published template {@code id} at {@code version}, or its newest published version when
   * {@code version} is empty or {@code null}.
   */
  public Optional<PromptTemplate> select(String id, String version) {
    List<PromptTemplate> versions = byId.getOrDefault(id, List.of());
    if (version == null || version.isEmpty()) {
      return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }
    return find(id, version);
  }

  private Optional<PromptTemplate> find(String id, String version) {
    return byId.getOrDefault(id, List.of()).stream()
        .filter(t -> t.ref().version().equals(version))
        .findFirst();
  }
}
