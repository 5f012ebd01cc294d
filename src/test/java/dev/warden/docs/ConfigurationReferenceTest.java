package dev.warden.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is the one configuration reference: every key the code reads is in it, and
 * it names no key that nothing reads.
 *
 * <p>Keys read by code are found in {@code src/main/java}: the first argument of the {@code
 * Settings} accessors ({@code string}, {@code integer}, {@code decimal}, {@code duration}, {@code
 * list}), of MicroProfile Config's {@code getValue} / {@code getOptionalValue}, the key arguments
 * of {@code Keysets.fromSettings} and {@code @ConfigProperty(name = ...)}, with string constants
 * and concatenations resolved. A part that is not a constant (a model, a tenant) makes a pattern
 * ({@code warden.identity.dev-registry.password.*}); a constant ending in a dot ({@code
 * warden.budget.}) is a prefix whose keys are read by listing the configuration's names. Keys the
 * server configuration reads are the {@code ${warden.*}} variables of {@code liberty/*.xml}.
 *
 * <p>In the reference, a key is the first cell of a table row, in backticks; {@code <name>} is a
 * part the operator chooses. Keys of MicroProfile Fault Tolerance ({@code dev.warden...Class/...})
 * must name an existing class; other platform keys ({@code otel.*}) are not checked.
 */
class ConfigurationReferenceTest {

  static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  static final Path REFERENCE = ROOT.resolve("docs/configuration.md");

  /** Warden's own keys, checked both ways. */
  private static final Pattern WARDEN_KEY = Pattern.compile("(warden\\.|mp\\.jwt\\.|OPENAI_).*");

  private static final Pattern CONSTANT =
      Pattern.compile("final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*([^;]+);");
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:class|interface|record|enum)\\s+(\\w+)");
  private static final Pattern READ =
      Pattern.compile(
          "(?:\\.(string|integer|decimal|duration|list|getValue|getOptionalValue)"
              + "|\\b(fromSettings)|@(ConfigProperty))\\s*\\(");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][\\w.]*");
  private static final Pattern ROW_KEYS = Pattern.compile("`([^`]+)`");
  private static final Pattern LIBERTY_VARIABLE = Pattern.compile("\\$\\{(warden\\.[\\w.-]+)}");

  static final Set<String> exact = new TreeSet<>();
  static final Set<String> patterns = new TreeSet<>();
  static final Set<String> prefixes = new TreeSet<>();
  static final Set<String> documented = new LinkedHashSet<>();
  static final Set<String> faultToleranceKeys = new LinkedHashSet<>();

  /** Constants by simple name per file, and by {@code Class.NAME}. */
  private static final Map<String, Map<String, String>> constantsByFile = new HashMap<>();

  private static final Map<String, String> qualifiedConstants = new HashMap<>();

  @BeforeAll
  static void scan() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    Map<Path, String> texts = new HashMap<>();
    for (Path source : sources) {
      String text = withoutComments(Files.readString(source));
      texts.put(source, text);
      Matcher cls = CLASS_NAME.matcher(text);
      String className = cls.find() ? cls.group(1) : "";
      Map<String, String> own = new HashMap<>();
      Matcher c = CONSTANT.matcher(text);
      while (c.find()) {
        own.put(c.group(1), c.group(2).trim());
        qualifiedConstants.put(className + "." + c.group(1), c.group(2).trim());
      }
      constantsByFile.put(source.toString(), own);
    }
    for (Path source : sources) {
      String file = source.toString();
      String text = texts.get(source);
      for (String expression : constantsByFile.get(file).values()) {
        String value = evaluate(file, expression, 0);
        if (value.endsWith(".") && !value.contains("*") && WARDEN_KEY.matcher(value).matches()) {
          prefixes.add(value);
        }
      }
      Matcher read = READ.matcher(text);
      while (read.find()) {
        List<String> arguments = arguments(text, read.end());
        List<String> keys;
        if (read.group(2) != null) {
          keys = arguments.size() > 1 ? arguments.subList(1, arguments.size()) : List.of();
        } else if (read.group(3) != null) {
          keys =
              arguments.stream()
                  .filter(a -> a.startsWith("name"))
                  .map(a -> a.substring(a.indexOf('=') + 1).trim())
                  .toList();
        } else {
          keys = arguments.isEmpty() ? List.of() : List.of(arguments.get(0));
        }
        for (String expression : keys) {
          String key = evaluate(file, expression, 0);
          if (!WARDEN_KEY.matcher(key).matches()) {
            continue;
          }
          (key.contains("*") ? patterns : exact).add(key);
        }
      }
    }
    try (Stream<Path> files = Files.list(ROOT.resolve("liberty"))) {
      for (Path xml : files.filter(p -> p.toString().endsWith(".xml")).toList()) {
        Matcher v = LIBERTY_VARIABLE.matcher(Files.readString(xml));
        while (v.find()) {
          exact.add(v.group(1));
        }
      }
    }
    for (String line : Files.readAllLines(REFERENCE)) {
      if (!line.startsWith("|") || line.startsWith("| ---") || line.startsWith("|---")) {
        continue;
      }
      String firstCell = line.substring(1, Math.max(1, line.indexOf('|', 1)));
      Matcher k = ROW_KEYS.matcher(firstCell);
      while (k.find()) {
        String key = k.group(1).trim();
        if (WARDEN_KEY.matcher(key).matches()) {
          assertThat(documented.add(key)).as("%s is in the reference once", key).isTrue();
        } else if (key.startsWith("dev.warden.")) {
          faultToleranceKeys.add(key);
        }
      }
    }
  }

  /** The source without comments; string and character literals (which may hold "/*") kept. */
  static String withoutComments(String java) {
    StringBuilder out = new StringBuilder(java.length());
    int i = 0;
    while (i < java.length()) {
      char ch = java.charAt(i);
      if (java.startsWith("/*", i)) {
        int end = java.indexOf("*/", i + 2);
        i = end < 0 ? java.length() : end + 2;
        out.append(' ');
      } else if (java.startsWith("//", i)) {
        int end = java.indexOf('\n', i);
        i = end < 0 ? java.length() : end;
      } else if (ch == '"' || ch == '\'') {
        int j = i + 1;
        while (j < java.length() && java.charAt(j) != ch) {
          j += java.charAt(j) == '\\' ? 2 : 1;
        }
        out.append(java, i, Math.min(j + 1, java.length()));
        i = j + 1;
      } else {
        out.append(ch);
        i++;
      }
    }
    return out.toString();
  }

  /** The comma-separated arguments of the call whose parenthesis opens just before {@code from}. */
  private static List<String> arguments(String text, int from) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    boolean inString = false;
    StringBuilder current = new StringBuilder();
    for (int i = from; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (inString) {
        current.append(ch);
        if (ch == '\\') {
          current.append(text.charAt(++i));
        } else if (ch == '"') {
          inString = false;
        }
        continue;
      }
      if (ch == '"') {
        inString = true;
      } else if (ch == '(' || ch == '{' || ch == '[') {
        depth++;
      } else if (ch == ')' || ch == '}' || ch == ']') {
        if (depth == 0) {
          args.add(current.toString().trim());
          return args;
        }
        depth--;
      } else if (ch == ',' && depth == 0) {
        args.add(current.toString().trim());
        current.setLength(0);
        continue;
      }
      current.append(ch);
    }
    return args;
  }

  /** A string expression with constants resolved; anything unknown becomes {@code *}. */
  static String evaluate(String file, String expression, int depth) {
    if (depth > 8) {
      return "*";
    }
    StringBuilder value = new StringBuilder();
    for (String term : splitPlus(expression)) {
      String t = term.trim();
      Matcher literal = LITERAL.matcher(t);
      if (literal.matches()) {
        value.append(literal.group(1));
        continue;
      }
      String constant = null;
      if (IDENTIFIER.matcher(t).matches()) {
        constant = constantsByFile.getOrDefault(file, Map.of()).get(t);
        if (constant == null) {
          String[] parts = t.split("\\.");
          if (parts.length >= 2) {
            constant =
                qualifiedConstants.get(parts[parts.length - 2] + "." + parts[parts.length - 1]);
          }
        }
      }
      value.append(constant == null ? "*" : evaluate(file, constant, depth + 1));
    }
    return value.toString().replaceAll("\\*+", "*");
  }

  private static List<String> splitPlus(String expression) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    boolean inString = false;
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < expression.length(); i++) {
      char ch = expression.charAt(i);
      if (inString) {
        current.append(ch);
        if (ch == '\\') {
          current.append(expression.charAt(++i));
        } else if (ch == '"') {
          inString = false;
        }
        continue;
      }
      if (ch == '"') {
        inString = true;
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (ch == '+' && depth == 0) {
        terms.add(current.toString());
        current.setLength(0);
        continue;
      }
      current.append(ch);
    }
    terms.add(current.toString());
    return terms;
  }

  /** A documented key as a regular expression: each {@code <name>} is any non-empty text. */
  static Pattern documentedPattern(String key) {
    StringBuilder regex = new StringBuilder();
    for (String part : key.split("<[^>]+>", -1)) {
      if (regex.length() > 0 || key.startsWith("<")) {
        regex.append(".+");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  static boolean hasPlaceholder(String key) {
    return key.contains("<");
  }

  /** A documented key with its placeholders filled in, for matching against code patterns. */
  static String example(String key) {
    return key.replaceAll("<[^>]+>", "x");
  }

  @Test
  void theScanFindsTheKeysItShould() {
    // a guard against a scan that silently finds nothing
    assertThat(exact)
        .contains(
            "warden.openai.read-timeout",
            "warden.audit.keyset-file",
            "warden.jobs.poll-interval",
            "mp.jwt.verify.issuer",
            "OPENAI_API_KEY",
            "warden.log.format");
    assertThat(prefixes).contains("warden.budget.", "warden.openai.models.");
    assertThat(patterns).contains("warden.identity.dev-registry.password.*");
  }

  @Test
  void everyKeyTheCodeReadsIsDocumented() {
    List<String> missing = new ArrayList<>();
    for (String key : exact) {
      if (!documented.contains(key)) {
        missing.add(key);
      }
    }
    for (String pattern : patterns) {
      Pattern code = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.+\\Q"));
      if (documented.stream().noneMatch(d -> code.matcher(example(d)).matches())) {
        missing.add(pattern);
      }
    }
    for (String prefix : prefixes) {
      if (documented.stream().noneMatch(d -> d.startsWith(prefix))) {
        missing.add(prefix + "*");
      }
    }
    assertThat(missing).as("read by the code, missing from docs/configuration.md").isEmpty();
  }

  @Test
  void everyDocumentedKeyIsRead() {
    List<String> unread = new ArrayList<>();
    for (String key : documented) {
      boolean read =
          exact.contains(key)
              || (hasPlaceholder(key)
                  && (patterns.stream()
                          .anyMatch(
                              p ->
                                  Pattern.compile(Pattern.quote(p).replace("*", "\\E.+\\Q"))
                                      .matcher(example(key))
                                      .matches())
                      || prefixes.stream().anyMatch(key::startsWith)));
      if (!read) {
        unread.add(key);
      }
    }
    assertThat(unread).as("in docs/configuration.md, read by nothing").isEmpty();
  }

  @Test
  void faultToleranceKeysNameExistingClasses() {
    assertThat(faultToleranceKeys).isNotEmpty();
    for (String key : faultToleranceKeys) {
      String className = key.substring(0, key.indexOf('/'));
      assertThat(ROOT.resolve("src/main/java/" + className.replace('.', '/') + ".java"))
          .as(key)
          .isRegularFile();
    }
  }

  @Test
  void everyShippedDefaultIsADocumentedKeyTheCodeReads() throws IOException {
    Properties defaults = new Properties();
    try (InputStream in = Files.newInputStream(ROOT.resolve("config/warden.properties"))) {
      defaults.load(in);
    }
    for (String key : defaults.stringPropertyNames()) {
      boolean documentedKey =
          documented.contains(key)
              || documented.stream()
                  .anyMatch(d -> hasPlaceholder(d) && documentedPattern(d).matcher(key).matches());
      assertThat(documentedKey).as("%s from config/warden.properties is documented", key).isTrue();
      boolean read =
          exact.contains(key)
              || prefixes.stream().anyMatch(key::startsWith)
              || patterns.stream()
                  .anyMatch(
                      p ->
                          Pattern.compile(Pattern.quote(p).replace("*", "\\E.+\\Q"))
                              .matcher(key)
                              .matches());
      assertThat(read).as("%s from config/warden.properties is read", key).isTrue();
    }
  }
}
