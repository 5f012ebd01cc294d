package dev.warden.pii;

import java.util.HashMap;
import java.util.Map;

/**
 * IBAN validation (ISO 13616): the country's length and BBAN structure from the SWIFT IBAN
 * registry, then the ISO 7064 MOD 97-10 check (the remainder is 1; check digits 00, 01 and 99 are
 * never issued).
 *
 * <p>Each entry is a country code followed by its structure after the country code, in the
 * registry's notation: {@code n} digits, {@code a} upper-case letters, {@code c} upper-case letters
 * or digits. Territories that use another country's format (Åland, the French overseas departments,
 * the Crown dependencies) are listed under their own codes.
 */
final class Iban {

  private static final String[] FORMATS = {
    "AD10n12c",
    "AE21n",
    "AL10n16c",
    "AT18n",
    "AX16n",
    "AZ2n4a20c",
    "BA18n",
    "BE14n",
    "BG2n4a6n8c",
    "BH2n4a14c",
    "BI25n",
    "BL12n11c2n",
    "BR25n1a1c",
    "BY2n4c4n16c",
    "CH7n12c",
    "CR20n",
    "CY10n16c",
    "CZ22n",
    "DE20n",
    "DJ25n",
    "DK16n",
    "DO2n4c20n",
    "EE18n",
    "EG27n",
    "ES22n",
    "FI16n",
    "FK2n2a12n",
    "FO16n",
    "FR12n11c2n",
    "GB2n4a14n",
    "GE2n2a16n",
    "GF12n11c2n",
    "GG2n4a14n",
    "GI2n4a15c",
    "GL16n",
    "GP12n11c2n",
    "GR9n16c",
    "GT2n24c",
    "HR19n",
    "HU26n",
    "IE2n4a14n",
    "IL21n",
    "IM2n4a14n",
    "IQ2n4a15n",
    "IS24n",
    "IT2n1a10n12c",
    "JE2n4a14n",
    "JO2n4a4n18c",
    "KW2n4a22c",
    "KZ5n13c",
    "LB6n20c",
    "LC2n4a24c",
    "LI7n12c",
    "LT18n",
    "LU5n13c",
    "LV2n4a13c",
    "LY23n",
    "MC12n11c2n",
    "MD2n20c",
    "ME20n",
    "MF12n11c2n",
    "MK5n10c2n",
    "MN18n",
    "MQ12n11c2n",
    "MR25n",
    "MT2n4a5n18c",
    "MU2n4a19n3a",
    "NC12n11c2n",
    "NI2n4a20n",
    "NL2n4a10n",
    "NO13n",
    "OM5n16c",
    "PF12n11c2n",
    "PK2n4a16c",
    "PL26n",
    "PM12n11c2n",
    "PS2n4a21c",
    "PT23n",
    "QA2n4a21c",
    "RE12n11c2n",
    "RO2n4a16c",
    "RS20n",
    "RU16n15c",
    "SA4n18c",
    "SC2n4a20n3a",
    "SD16n",
    "SE22n",
    "SI17n",
    "SK22n",
    "SM2n1a10n12c",
    "SO21n",
    "ST23n",
    "SV2n4a20n",
    "TF12n11c2n",
    "TL21n",
    "TN22n",
    "TR8n16c",
    "UA8n19c",
    "VA20n",
    "VG2n4a16n",
    "WF12n11c2n",
    "XK18n",
    "YT12n11c2n"
  };

  /** Country code to its structure, one character class per position after the country code. */
  private static final Map<String, String> STRUCTURE = new HashMap<>();

  static {
    for (String format : FORMATS) {
      StringBuilder positions = new StringBuilder();
      int count = 0;
      for (int i = 2; i < format.length(); i++) {
        char c = format.charAt(i);
        if (Chars.isDigit(c)) {
          count = count * 10 + (c - '0');
        } else {
          positions.append(String.valueOf(c).repeat(count));
          count = 0;
        }
      }
      STRUCTURE.put(format.substring(0, 2), positions.toString());
    }
  }

  private Iban() {}

  /** Whether {@code countryCode} (two upper-case letters) issues IBANs. */
  static boolean hasCountry(String countryCode) {
    return STRUCTURE.containsKey(countryCode);
  }

  /** Whether {@code iban}, compact (no spaces) and upper case, is a valid IBAN. */
  static boolean isValid(String iban) {
    if (iban.length() < 5) {
      return false;
    }
    String structure = STRUCTURE.get(iban.substring(0, 2));
    if (structure == null || iban.length() != structure.length() + 2) {
      return false;
    }
    for (int i = 2; i < iban.length(); i++) {
      if (!matches(structure.charAt(i - 2), iban.charAt(i))) {
        return false;
      }
    }
    String check = iban.substring(2, 4);
    if (check.equals("00") || check.equals("01") || check.equals("99")) {
      return false;
    }
    return mod97(iban) == 1;
  }

  private static boolean matches(char kind, char c) {
    return switch (kind) {
      case 'n' -> Chars.isDigit(c);
      case 'a' -> Chars.isUpper(c);
      default -> Chars.isDigit(c) || Chars.isUpper(c);
    };
  }

  /** The remainder of the rearranged IBAN (country and check digits moved to the end) mod 97. */
  static int mod97(String iban) {
    int n = iban.length();
    int remainder = 0;
    for (int k = 0; k < n; k++) {
      char c = iban.charAt((k + 4) % n);
      if (Chars.isDigit(c)) {
        remainder = (remainder * 10 + (c - '0')) % 97;
      } else {
        remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
      }
    }
    return remainder;
  }
}
