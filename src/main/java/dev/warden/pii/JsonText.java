package dev.warden.pii;

/**
 * JSON string-literal helpers: escaping, unescaping and a tolerant walk over JSON text that redacts
 * string values and numbers. Package-internal.
 */
final class JsonText {

  private JsonText() {}

  /** A segment redactor: returns the input itself when nothing changed. */
  interface SegmentRedactor {
    String redact(String segment, boolean quoteReplacements);
  }

  /** The content of a JSON string literal for {@code s} (without the surrounding quotes). */
  static String escape(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = null;
      switch (c) {
        case '"':
          rep = "\\\"";
          break;
        case '\\':
          rep = "\\\\";
          break;
        case '\n':
          rep = "\\n";
          break;
        case '\r':
          rep = "\\r";
          break;
        case '\t':
          rep = "\\t";
          break;
        case '\b':
          rep = "\\b";
          break;
        case '\f':
          rep = "\\f";
          break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            rep = String.format("\\u%04x", (int) c);
          }
      }
      if (rep != null) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(rep);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** The value of a JSON string literal's content; invalid escapes are kept as written. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.append(e);
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'u':
          if (i + 4 < s.length() && isHex4(s, i + 1)) {
            out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
            i += 4;
          } else {
            out.append('\\').append(e);
          }
          break;
        default:
          out.append('\\').append(e);
      }
    }
    return out.toString();
  }

  private static boolean isHex4(String s, int from) {
    for (int i = from; i < from + 4; i++) {
      if (!Chars.isHex(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Redacts a JSON text (valid or not): each string literal's value is redacted and re-escaped;
   * everything outside string literals is redacted with replacements written as string literals (so
   * a card number given as a JSON number becomes a JSON string). Unchanged literals keep their
   * original spelling.
   */
  static String redact(String json, SegmentRedactor redactor) {
    StringBuilder out = new StringBuilder(json.length() + 32);
    int n = json.length();
    int i = 0;
    int outside = 0;
    boolean changed = false;
    while (i < n) {
      char c = json.charAt(i);
      if (c != '"') {
        i++;
        continue;
      }
      changed |= appendOutside(out, json, outside, i, redactor);
      int j = i + 1;
      while (j < n && json.charAt(j) != '"') {
        j += json.charAt(j) == '\\' ? 2 : 1;
      }
      if (j >= n) {
        // unterminated literal: redact the rest as plain text
        String rest = json.substring(i);
        String red = redactor.redact(rest, false);
        changed |= !red.equals(rest);
        out.append(red);
        return changed ? out.toString() : json;
      }
      String literal = json.substring(i + 1, j);
      String value = unescape(literal);
      String red = redactor.redact(value, false);
      if (red.equals(value)) {
        out.append(json, i, j + 1);
      } else {
        out.append('"').append(escape(red)).append('"');
        changed = true;
      }
      i = j + 1;
      outside = i;
    }
    changed |= appendOutside(out, json, outside, n, redactor);
    return changed ? out.toString() : json;
  }

  private static boolean appendOutside(
      StringBuilder out, String json, int from, int to, SegmentRedactor redactor) {
    if (from >= to) {
      return false;
    }
    String segment = json.substring(from, to);
    String red = redactor.redact(segment, true);
    out.append(red);
    return !red.equals(segment);
  }
}
