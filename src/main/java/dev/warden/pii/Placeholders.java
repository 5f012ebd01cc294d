package dev.warden.pii;

/** Placeholder scanning shared by the rehydrators. Package-internal. */
final class Placeholders {

  /**
   * The longest placeholder considered ({@code <} + 40-char type + {@code _} + number + {@code >}).
   */
  static final int MAX_LENGTH = 64;

  private Placeholders() {}

  /**
   * Restores the placeholders of {@code vault} in {@code text[from, to)} into {@code out}, and
   * returns where processing stopped: {@code to}, or (when {@code holdTail}) the start of a
   * trailing possible placeholder prefix that must wait for more text.
   */
  static int restore(
      CharSequence text,
      int from,
      int to,
      PlaceholderVault vault,
      boolean json,
      boolean holdTail,
      StringBuilder out) {
    int i = from;
    int copied = from;
    while (i < to) {
      if (text.charAt(i) != '<') {
        i++;
        continue;
      }
      int j = i + 1;
      if (j < to && !Chars.isUpper(text.charAt(j))) {
        i++;
        continue;
      }
      while (j < to && j - i < MAX_LENGTH && isTokenChar(text.charAt(j))) {
        j++;
      }
      if (j >= to) {
        if (holdTail && to - i < MAX_LENGTH) {
          out.append(text, copied, i);
          return i;
        }
        break;
      }
      if (text.charAt(j) != '>') {
        i++;
        continue;
      }
      String value = vault.valueOf(text.subSequence(i, j + 1).toString());
      if (value != null) {
        out.append(text, copied, i).append(json ? JsonText.escape(value) : value);
        copied = j + 1;
      }
      i = j + 1;
    }
    out.append(text, copied, to);
    return to;
  }

  private static boolean isTokenChar(char c) {
    return Chars.isUpper(c) || Chars.isDigit(c) || c == '_';
  }
}
