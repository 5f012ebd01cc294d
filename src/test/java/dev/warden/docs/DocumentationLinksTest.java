package dev.warden.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/**: every relative link reaches a file of the repository (and a heading, when
 * it names one), nothing links outside the repository, the README stays a short entry point, and
 * the text speaks about the code as it is (no tracker numbers, no past runs).
 */
class DocumentationLinksTest {

  static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  static final int README_MAX_LINES = 300;

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");
  private static final Pattern URL = Pattern.compile("https?://[^\\s)`'\"<>]*");
  private static final Pattern LOCAL_URL =
      Pattern.compile("https?://(localhost|127\\.0\\.0\\.1)([:/].*)?");
  private static final Pattern TRACKER_NUMBER = Pattern.compile("(?<![\\w&/#])#\\d+\\b");
  private static final Pattern TRACKER_WORD =
      Pattern.compile("\\b(issues?|PRs?|pull requests?)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern PAST_RUN =
      Pattern.compile("\\b(this|last|the latest) (run|session)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  static List<Path> documents() {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text with fenced code blocks blanked out (lines kept, so line numbers stay right). */
  static String prose(String markdown) {
    StringBuilder out = new StringBuilder();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        out.append('\n');
        continue;
      }
      out.append(fenced ? "" : line).append('\n');
    }
    return out.toString();
  }

  /** Prose without inline code spans. */
  static String plainProse(String markdown) {
    return prose(markdown).replaceAll("`[^`\\n]*`", "``");
  }

  /** GitHub's anchors for the headings of a Markdown file. */
  static Set<String> anchors(Path file) {
    Set<String> anchors = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (String line : prose(read(file)).split("\n")) {
      Matcher m = HEADING.matcher(line);
      if (m.matches()) {
        String slug =
            m.group(1)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
        String anchor = slug;
        for (int i = 1; !seen.add(anchor); i++) {
          anchor = slug + "-" + i;
        }
        anchors.add(anchor);
      }
    }
    return anchors;
  }

  @Test
  void theReadmeIsShort() {
    assertThat(read(ROOT.resolve("README.md")).lines().count())
        .isLessThanOrEqualTo(README_MAX_LINES);
  }

  @Test
  void theFeaturePagesExist() {
    for (String page :
        List.of(
            "audit-log",
            "identity-and-api",
            "cost-control",
            "ai-services",
            "adding-warden",
            "openai-api",
            "data-protection",
            "operations",
            "errors",
            "benchmarks",
            "libraries",
            "development",
            "architecture",
            "configuration")) {
      assertThat(ROOT.resolve("docs/" + page + ".md")).isRegularFile();
    }
    try (Stream<Path> records = Files.list(ROOT.resolve("docs/decisions"))) {
      assertThat(records.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")))
          .isNotEmpty()
          .allMatch(n -> n.matches("\\d{4}-[a-z0-9-]+\\.md"), "named NNNN-title.md");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyRelativeLinkResolvesInsideTheRepository() {
    List<String> broken = new ArrayList<>();
    for (Path doc : documents()) {
      Matcher m = LINK.matcher(prose(read(doc)).replaceAll("`[^`\\n]*`", "``"));
      while (m.find()) {
        String target = m.group(1);
        if (target.startsWith("http://") || target.startsWith("https://")) {
          continue; // refused by noLinksLeaveTheRepository
        }
        String where = ROOT.relativize(doc) + ": " + target;
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT) || !Files.exists(file)) {
          broken.add(where + " (no such file in the repository)");
        } else if (anchor != null
            && file.toString().endsWith(".md")
            && !anchors(file).contains(anchor)) {
          broken.add(where + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void noLinksLeaveTheRepository() {
    List<String> outside = new ArrayList<>();
    for (Path doc : documents()) {
      String text = read(doc);
      if (text.contains("../shared") || text.contains("/work/")) {
        outside.add(ROOT.relativize(doc) + ": a path outside the repository");
      }
      String prose = plainProse(text);
      Matcher inProse = URL.matcher(prose);
      while (inProse.find()) {
        outside.add(ROOT.relativize(doc) + ": " + inProse.group() + " (outside a code block)");
      }
      Matcher anywhere = URL.matcher(text);
      while (anywhere.find()) {
        if (!LOCAL_URL.matcher(anywhere.group()).matches()) {
          outside.add(ROOT.relativize(doc) + ": " + anywhere.group());
        }
      }
    }
    assertThat(outside).isEmpty();
  }

  @Test
  void theTextDescribesTheCodeNotItsHistory() {
    List<String> found = new ArrayList<>();
    for (Path doc : documents()) {
      String[] lines = plainProse(read(doc)).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        for (Pattern p : List.of(TRACKER_NUMBER, TRACKER_WORD, PAST_RUN)) {
          Matcher m = p.matcher(lines[i]);
          if (m.find()) {
            found.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + m.group());
          }
        }
      }
    }
    assertThat(found).isEmpty();
  }
}
