package dev.warden.prompt;

import dev.warden.call.PromptRef;
import dev.warden.openai.model.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One version of a prompt: messages in sections headed {@code [system]}, {@code [developer]} or
 * {@code [user]}, on a line of their own. Variables ({@code {{name}}}) may appear only in the last
 * section, which must be {@code [user]}: the static instructions come first and stay byte for byte
 * the same between calls, so the upstream's prompt cache can reuse them.
 */
public final class PromptTemplate {

  private static final Pattern SECTION = Pattern.compile("^\\[(system|developer|user)\\]\\s*$");
  private static final Pattern VARIABLE =
      Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private record Section(String role, String text) {}

  private final PromptRef ref;
  private final List<Section> sections;
  private final Set<String> variables;

  private PromptTemplate(PromptRef ref, List<Section> sections, Set<String> variables) {
    this.ref = ref;
    this.sections = sections;
    this.variables = variables;
  }

  /**
   * Parses a template's bytes (UTF-8).
   *
   * @throws IllegalArgumentException when the text breaks the rules above
   */
  public static PromptTemplate parse(String id, String version, byte[] bytes) {
    String where = id + " " + version;
    SemVer.parse(version);
    String text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
    List<Section> sections = new ArrayList<>();
    String role = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      Matcher m = SECTION.matcher(line);
      if (m.matches()) {
        if (role != null) {
          sections.add(new Section(role, body.toString().strip()));
        }
        role = m.group(1);
        body.setLength(0);
      } else if (role == null) {
        if (!line.isBlank()) {
          throw new IllegalArgumentException(
              where + ": text before the first section header ([system], [developer], [user])");
        }
      } else {
        body.append(line).append('\n');
      }
    }
    if (role == null) {
      throw new IllegalArgumentException(where + ": no section ([system], [developer], [user])");
    }
    sections.add(new Section(role, body.toString().strip()));
    if (!sections.get(sections.size() - 1).role().equals("user")) {
      throw new IllegalArgumentException(where + ": the last section must be [user]");
    }
    Set<String> variables = new LinkedHashSet<>();
    for (int i = 0; i < sections.size(); i++) {
      Matcher m = VARIABLE.matcher(sections.get(i).text());
      while (m.find()) {
        if (i < sections.size() - 1) {
          throw new IllegalArgumentException(
              where
                  + ": variable {{"
                  + m.group(1)
                  + "}} outside the last section; variables go last so the static text can be"
                  + " cached");
        }
        variables.add(m.group(1));
      }
    }
    return new PromptTemplate(
        new PromptRef(id, version, sha256(bytes)), List.copyOf(sections), Set.copyOf(variables));
  }

  public PromptRef ref() {
    return ref;
  }

  /** The names of the variables the last section uses. */
  public Set<String> variables() {
    return variables;
  }

  /**
   * The messages with every variable replaced by its value ({@code null} becomes an empty string).
   *
   * @throws IllegalArgumentException when a variable has no value
   */
  public List<ChatMessage> render(Map<String, ?> values) {
    List<ChatMessage> messages = new ArrayList<>();
    for (Section s : sections) {
      String text = s.text();
      if (s == sections.get(sections.size() - 1)) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
          if (!values.containsKey(m.group(1))) {
            throw new IllegalArgumentException(
                ref.id() + " " + ref.version() + ": no value for {{" + m.group(1) + "}}");
          }
          Object value = values.get(m.group(1));
          m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value.toString()));
        }
        m.appendTail(out);
        text = out.toString();
      }
      messages.add(
          switch (s.role()) {
            case "system" -> ChatMessage.system(text);
            case "developer" -> ChatMessage.developer(text);
            default -> ChatMessage.user(text);
          });
    }
    return messages;
  }

  /** The hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
