package dev.warden.pii;

/**
 * IPv6 address literals (RFC 4291 section 2.2) without a zone or prefix: eight groups of one to
 * four hex digits separated by colons; one {@code ::} standing for one or more zero groups; the
 * last two groups optionally written as a dotted IPv4 address (four decimal octets 0-255 without
 * leading zeros). Pure string logic: nothing is resolved.
 */
final class Ipv6 {

  private Ipv6() {}

  static boolean isValid(String s) {
    int n = s.length();
    if (n < 2) {
      return false;
    }
    int compressed = s.indexOf("::");
    if (compressed >= 0 && s.indexOf("::", compressed + 1) >= 0) {
      return false;
    }
    if ((s.charAt(0) == ':' && compressed != 0)
        || (s.charAt(n - 1) == ':' && compressed != n - 2)) {
      return false;
    }
    int groups = 0;
    int i = 0;
    while (i < n) {
      if (i == compressed) {
        i += 2;
        continue;
      }
      int end = i;
      while (end < n && s.charAt(end) != ':') {
        end++;
      }
      if (end == i) {
        return false; // a lone ':' where a group belongs
      }
      if (end == n && s.indexOf('.', i) >= 0) {
        if (!ipv4(s, i, n)) {
          return false;
        }
        groups += 2;
      } else {
        if (end - i > 4) {
          return false;
        }
        for (int k = i; k < end; k++) {
          if (!Chars.isHex(s.charAt(k))) {
            return false;
          }
        }
        groups++;
      }
      if (end < n && end != compressed) {
        end++; // the single ':' after a group
      }
      i = end;
    }
    return compressed >= 0 ? groups <= 7 : groups == 8;
  }

  /** Four dotted decimal octets in {@code s[from, to)}. */
  static boolean ipv4(String s, int from, int to) {
    int octets = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && Chars.isDigit(s.charAt(i))) {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          return false;
        }
      }
      int len = i - start;
      if (len == 0 || value > 255 || (len > 1 && s.charAt(start) == '0')) {
        return false;
      }
      octets++;
      if (i == to) {
        return octets == 4;
      }
      if (s.charAt(i) != '.' || octets == 4) {
        return false;
      }
      i++;
    }
  }
}
