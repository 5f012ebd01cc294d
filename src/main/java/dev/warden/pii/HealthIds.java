package dev.warden.pii;

/**
 * Check digits of health identifiers and the words that put a number in a health context.
 * Package-internal.
 *
 * <p>Context: a word of one of the lists below within the 48 characters before the number, in the
 * same sentence and on the same line ({@link Chars#windowStart}; "NHS No. 943 476 5919": a dot
 * after a word of one or two letters ends no sentence), case-insensitive and starting at a word
 * boundary. {@code nhs}, {@code npi} and the longer words also match as the start of a word ({@code
 * NHSNumber}, {@code patients}, {@code healthcare}); the short ones ({@code gp}, {@code mbi},
 * {@code cms}, {@code hicn}) only as whole words. A telephone word ({@code phone}, {@code call},
 * {@code mobile}, {@code tel}, ...) cancels the general health words: in "patient's phone
 * 415-555-2671" the number is a phone number, even though it passes the NHS check.
 */
final class HealthIds {

  /** The text names the NHS. */
  static final int NHS = 1;

  /** The text names the NPI. */
  static final int NPI = 2;

  /** A health word that names no particular identifier ("patient", "Medicare", ...). */
  static final int GENERIC = 4;

  /** The text speaks of a telephone ("phone", "call", "mobile", "tel", ...). */
  static final int PHONE = 8;

  /** The issuer prefix of the NPI's Luhn check (the NPI as a health card number). */
  static final String NPI_PREFIX = "80840";

  private static final int WINDOW = 48;
  private static final String[] NHS_WORDS = {"nhs"};
  private static final String[] NPI_WORDS = {"npi", "national provider"};
  private static final String[] GENERIC_WORDS = {
    "patient",
    "health",
    "hospital",
    "medical",
    "clinic",
    "doctor",
    "physician",
    "prescriber",
    "practitioner",
    "pharmacy",
    "nurse",
    "medicare",
    "medicaid",
    "beneficiar"
  };
  private static final String[] GENERIC_WHOLE_WORDS = {"gp", "mbi", "cms", "hicn"};
  private static final String[] PHONE_WORDS = {
    "phone", "telephone", "mobile", "call", "fax", "whatsapp", "dial"
  };
  private static final String[] PHONE_WHOLE_WORDS = {"tel", "cell", "ph", "mob"};

  private HealthIds() {}

  /**
   * The context flags ({@link #NHS}, {@link #NPI}, {@link #GENERIC}, {@link #PHONE}) before {@code
   * index}.
   */
  static int context(String text, int index) {
    int from = Chars.windowStart(text, index, WINDOW, true);
    int flags = 0;
    if (Chars.containsKeyword(text, from, index, NHS_WORDS, false)) {
      flags |= NHS;
    }
    if (Chars.containsKeyword(text, from, index, NPI_WORDS, false)) {
      flags |= NPI;
    }
    if (Chars.containsKeyword(text, from, index, GENERIC_WORDS, false)
        || Chars.containsKeyword(text, from, index, GENERIC_WHOLE_WORDS, true)) {
      flags |= GENERIC;
    }
    if (Chars.containsKeyword(text, from, index, PHONE_WORDS, false)
        || Chars.containsKeyword(text, from, index, PHONE_WHOLE_WORDS, true)) {
      flags |= PHONE;
    }
    return flags;
  }

  /**
   * The NHS number's modulus 11 check: the first nine digits weighted 10 down to 2; 11 minus the
   * sum's remainder is the check digit (11 means 0; 10 means the number is invalid).
   *
   * @param digits exactly 10 ASCII digits
   */
  static boolean nhsCheck(String digits) {
    if (digits.length() != 10) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (digits.charAt(i) - '0') * (10 - i);
    }
    int check = 11 - sum % 11;
    if (check == 11) {
      check = 0;
    }
    return check != 10 && check == digits.charAt(9) - '0';
  }

  /**
   * The NPI's check: 10 digits starting with 1 or 2 whose Luhn check over {@code 80840} followed by
   * the number passes, or the 15 digits of that form.
   */
  static boolean npiCheck(String digits) {
    String full;
    if (digits.length() == 10) {
      full = NPI_PREFIX + digits;
    } else if (digits.length() == 15 && digits.startsWith(NPI_PREFIX)) {
      full = digits;
    } else {
      return false;
    }
    char first = full.charAt(5);
    return (first == '1' || first == '2') && luhn(full);
  }

  /** The Luhn check over a string of ASCII digits. */
  static boolean luhn(String digits) {
    return NumberDetector.luhn(digits, 0, digits.length());
  }
}
