package dev.warden.pii;

import java.util.List;

/**
 * IPv6 addresses (full, compressed with {@code ::}, and with an embedded IPv4 tail), found from
 * each colon outwards and checked with {@link Ipv6#isValid}. Times ({@code 12:30:45}), MAC
 * addresses and C++ scopes ({@code std::vector}) do not validate or are glued to a word.
 */
final class Ipv6Detector implements Detector {

  @Override
  public void detect(String text, List<Detection> out) {
    int n = text.length();
    int colon = text.indexOf(':');
    while (colon >= 0) {
      int next = colon + 1;
      int s = colon;
      while (s > 0 && colon - s < 40 && isV6(text.charAt(s - 1))) {
        s--;
      }
      int e = colon + 1;
      while (e < n && e - s < 46 && isV6(text.charAt(e))) {
        e++;
      }
      while (e > colon + 1 && text.charAt(e - 1) == '.') {
        e--;
      }
      if (e - s >= 3 && text.charAt(e - 1) == ':' && text.charAt(e - 2) != ':') {
        e--;
      }
      if (candidate(text, s, e)) {
        String address = text.substring(s, e);
        if (Ipv6.isValid(address)) {
          out.add(new Detection(s, e, EntityType.IP, Detection.PRIORITY_DEFAULT));
        }
        next = e;
      }
      next = Math.max(next, e);
      colon = next < n ? text.indexOf(':', next) : -1;
    }
  }

  private static boolean candidate(String text, int s, int e) {
    if (e - s < 3 || Chars.wordBefore(text, s) || Chars.wordAt(text, e)) {
      return false;
    }
    int colons = 0;
    boolean digit = false;
    for (int i = s; i < e; i++) {
      char c = text.charAt(i);
      if (c == ':') {
        colons++;
      } else if (Chars.isDigit(c)) {
        digit = true;
      }
    }
    return colons >= 2 && digit;
  }

  private static boolean isV6(char c) {
    return Chars.isHex(c) || c == ':' || c == '.';
  }
}
