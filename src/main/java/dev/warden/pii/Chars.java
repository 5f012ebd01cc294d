package dev.warden.pii;

/** Package-internal character tests and small text helpers, tuned for ASCII fast paths. */
final class Chars {

  private Chars() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAsciiAlnum(char c) {
    return isDigit(c) || isAsciiLetter(c);
  }

  static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Letters, digits and underscore, in any script. */
  static boolean isWordChar(char c) {
    if (c < 128) {
      return isAsciiAlnum(c) || c == '_';
    }
    return Character.isLetterOrDigit(c);
  }

  static boolean isBase64Url(char c) {
    return isAsciiAlnum(c) || c == '-' || c == '_';
  }

  /** Whether {@code text} has a word character just before {@code index}. */
  static boolean wordBefore(String text, int index) {
    return index > 0 && isWordChar(text.charAt(index - 1));
  }

  /** Whether {@code text} has a word character at {@code index}. */
  static boolean wordAt(String text, int index) {
    return index < text.length() && isWordChar(text.charAt(index));
  }

  /**
   * Whether one of {@code keywords} (lower case) occurs in {@code text[from, to)},
   * case-insensitively, starting at a word boundary; when {@code wholeWord} the keyword must also
   * end at one.
   */
  static boolean containsKeyword(
      String text, int from, int to, String[] keywords, boolean wholeWord) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!isAsciiLetter(c) || (i > 0 && isAsciiLetter(text.charAt(i - 1)))) {
        continue;
      }
      for (String k : keywords) {
        int end = i + k.length();
        if (end <= to
            && text.regionMatches(true, i, k, 0, k.length())
            && (!wholeWord || end >= text.length() || !isAsciiLetter(text.charAt(end)))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The start of a context window of at most {@code max} characters before {@code index}, cut at a
   * line break or at a sentence end ({@code ". "} after a lower-case letter).
   */
  static int windowStart(String text, int index, int max) {
    return windowStart(text, index, max, false);
  }

  /**
   * {@link #windowStart(String, int, int)}; with {@code abbreviations}, a dot after a word of one
   * or two letters ("No.", "Dr.", "e.g.") does not end the sentence.
   */
  static int windowStart(String text, int index, int max, boolean abbreviations) {
    int limit = Math.max(0, index - max);
    for (int i = index - 1; i > limit; i--) {
      char c = text.charAt(i);
      if (c == '\n') {
        return i + 1;
      }
      if ((c == ' ' || c == '\t')
          && i >= 2
          && (text.charAt(i - 1) == '.' || text.charAt(i - 1) == '!' || text.charAt(i - 1) == '?')
          && Character.isLowerCase(text.charAt(i - 2))
          && !(abbreviations && text.charAt(i - 1) == '.' && abbreviation(text, i - 1))) {
        return i + 1;
      }
    }
    return limit;
  }

  /** Whether the word ending at the dot {@code dot} has one or two letters ("No", "Dr", "St"). */
  private static boolean abbreviation(String text, int dot) {
    int k = dot - 1;
    while (k >= 0 && isAsciiLetter(text.charAt(k))) {
      k--;
    }
    int letters = dot - 1 - k;
    return letters <= 2 && (k < 0 || !isWordChar(text.charAt(k)));
  }
}
