package dev.warden.pii;

import java.util.List;

/** E-mail addresses, found from each {@code @} outwards and checked structurally. */
final class EmailDetector implements Detector {

  @Override
  public void detect(String text, List<Detection> out) {
    int n = text.length();
    int at = text.indexOf('@');
    while (at >= 0) {
      int next = at + 1;
      int s = at;
      while (s > 0 && at - s <= 64 && isLocal(text.charAt(s - 1))) {
        s--;
      }
      boolean localTooLong = s > 0 && isLocal(text.charAt(s - 1));
      while (s < at && (text.charAt(s) == '.' || text.charAt(s) == '-')) {
        s++;
      }
      int e = at + 1;
      while (e < n && e - at <= 255 && isDomain(text.charAt(e))) {
        e++;
      }
      while (e > at + 1 && (text.charAt(e - 1) == '.' || text.charAt(e - 1) == '-')) {
        e--;
      }
      if (s < at
          && at - s <= 64
          && !localTooLong
          && text.charAt(at - 1) != '.'
          && validDomain(text, at + 1, e)
          && !Chars.wordAt(text, e)) {
        out.add(new Detection(s, e, EntityType.EMAIL, Detection.PRIORITY_DEFAULT));
        next = e;
      }
      at = next < n ? text.indexOf('@', next) : -1;
    }
  }

  private static boolean isLocal(char c) {
    return Chars.isAsciiAlnum(c)
        || c == '.'
        || c == '_'
        || c == '%'
        || c == '+'
        || c == '-'
        || c == '\'';
  }

  private static boolean isDomain(char c) {
    return Chars.isAsciiAlnum(c) || c == '.' || c == '-';
  }

  private static boolean validDomain(String text, int from, int to) {
    if (to - from < 4) {
      return false;
    }
    int labelStart = from;
    int labels = 0;
    for (int i = from; i <= to; i++) {
      if (i == to || text.charAt(i) == '.') {
        int len = i - labelStart;
        if (len == 0 || len > 63) {
          return false;
        }
        if (text.charAt(labelStart) == '-' || text.charAt(i - 1) == '-') {
          return false;
        }
        labels++;
        if (i == to) {
          // top-level domain: letters only, 2..24
          if (len < 2 || len > 24) {
            return false;
          }
          for (int k = labelStart; k < i; k++) {
            if (!Chars.isAsciiLetter(text.charAt(k))) {
              return false;
            }
          }
        }
        labelStart = i + 1;
      }
    }
    return labels >= 2;
  }
}
