package dev.warden.pii;

/** The {@link PiiAction#MASK} forms, per type. Package-internal. */
final class Masks {

  private Masks() {}

  static String mask(EntityType type, String value) {
    switch (type.name()) {
      case "EMAIL":
        return email(value);
      case "CARD":
        return "****" + lastDigits(value, 4);
      case "PHONE":
      case "SSN":
        return keepLast(value, 4);
      case "IBAN":
        return value.substring(0, 2) + keepLast(value.substring(2), 4);
      case "IP":
        return ip(value);
      case "SECRET":
        return value.substring(0, Math.min(4, value.length())) + "****";
      case "DOB":
        return keepLast(value, 0);
      default:
        // identifiers (with digits) keep their last 4 characters; names are masked entirely
        return keepLast(value, value.length() >= 8 && hasDigit(value) ? 4 : 0);
    }
  }

  private static boolean hasDigit(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Chars.isDigit(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String email(String value) {
    int at = value.lastIndexOf('@');
    return value.charAt(0) + "***" + value.substring(at);
  }

  private static String lastDigits(String value, int count) {
    StringBuilder digits = new StringBuilder();
    for (int i = value.length() - 1; i >= 0 && digits.length() < count; i--) {
      if (Chars.isDigit(value.charAt(i))) {
        digits.append(value.charAt(i));
      }
    }
    return digits.reverse().toString();
  }

  /** Letters and digits become {@code *}, except the last {@code keep} of them; others stay. */
  private static String keepLast(String value, int keep) {
    char[] out = value.toCharArray();
    int kept = 0;
    for (int i = out.length - 1; i >= 0; i--) {
      if (Character.isLetterOrDigit(out[i])) {
        if (kept < keep) {
          kept++;
        } else {
          out[i] = '*';
        }
      }
    }
    return new String(out);
  }

  private static String ip(String value) {
    char sep = value.indexOf(':') >= 0 ? ':' : '.';
    int first = value.indexOf(sep);
    return first <= 0
        ? keepLast(value, 0)
        : value.substring(0, first) + keepLast(value.substring(first), 0);
  }
}
