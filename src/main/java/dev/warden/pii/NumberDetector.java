package dev.warden.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything that starts with a digit, in one pass: phone numbers, payment cards, IBANs, US social
 * security numbers, IPv4 addresses, dates of birth, NHS numbers and US NPIs.
 *
 * <p>The scanner jumps from digit to digit. A digit glued to a word ({@code v1.2}, {@code abc123},
 * hex hashes, UUIDs) or joined to one by a dash ({@code INV-2024-000123}) skips the whole token,
 * except for an IBAN's country code. Otherwise it collects a <em>span</em>: groups of digits
 * separated by single separators ({@code space - . /} or a parenthesis run such as {@code ") "}),
 * with a leading {@code +} or {@code (}. It then tries sub-spans of whole groups, longest first,
 * against the classifiers in order: IPv4, SSN, card, NHS number and NPI, date of birth, phone. Only
 * phone-shaped candidates reach libphonenumber.
 *
 * <p>Precision rules (the hard negatives of the test corpus):
 *
 * <ul>
 *   <li>dotted sequences are all-or-nothing: {@code 1.2.3.4.5} is not an IPv4 address;
 *   <li>a dotted quad after "version", "ver", "v", "release", "build", "firmware" or "patch" is a
 *       version string, not an IP address;
 *   <li>cards need 13-19 digits, a first digit 2-6, the Luhn check, and either no separators or
 *       consistent card grouping (4-4-4-4[-1..4], 4-6-4, 4-6-5);
 *   <li>SSNs need the 3-2-4 grouping (compact 9 digits only after "SSN"/"social security") and
 *       exclude area 000, 666 and 9xx, group 00 and serial 0000;
 *   <li>phones: 7-15 digits, no {@code /}, no date-like 4-digit group followed by a 1-2 digit
 *       group, and a valid number for one of the configured regions (or its {@code +country});
 *   <li>NHS numbers and NPIs are 10 digits whose check digit is right (NHS: modulus 11; NPI: Luhn
 *       over {@code 80840} and the number, first digit 1 or 2, also written with the {@code 80840}
 *       prefix) <em>and</em> follow a health word in the same sentence ({@link HealthIds}): a
 *       random 10-digit number passes either check about once in ten, so the check alone would turn
 *       phone, order and account numbers into health identifiers. NHS numbers may be grouped 3-3-4
 *       by spaces or dashes; a number of repeated digits is never one;
 *   <li>unformatted numbers after "order", "invoice", "tracking", "ISBN", "ticket", "SKU",
 *       "serial", "ref", "confirmation", "transaction" or {@code #} are not phones or cards;
 *   <li>a date is a date of birth only within the same sentence after "born", "birth" (birthday,
 *       date of birth, birthdate), "DOB" or "D.O.B."; a bare year ("born in 1985") is not a date.
 * </ul>
 */
final class NumberDetector implements Detector {

  private static final int MAX_GROUPS = 12;
  private static final String[] NEGATIVE = {
    "order",
    "orders",
    "invoice",
    "tracking",
    "isbn",
    "ticket",
    "sku",
    "serial",
    "ref",
    "reference",
    "confirmation",
    "transaction",
    "po",
    "item",
    "part",
    "model",
    "product"
  };
  private static final String[] VERSION = {
    "version", "ver", "v", "release", "build", "firmware", "patch"
  };
  private static final String[] DOB_WORDS = {"born", "birth", "dob", "d.o.b"};
  private static final String[] SSN_WORDS = {"ssn", "social security", "ss#", "ss no"};
  private static final String MONTH =
      "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          + "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
  private static final Pattern MONTH_FIRST =
      Pattern.compile(
          "(?i)" + MONTH + "\\.? {1,2}[0-3]?\\d(?:st|nd|rd|th)?,? {1,2}(?:19|20)\\d\\d(?!\\d)");
  private static final Pattern DAY_FIRST =
      Pattern.compile(
          "(?i)[0-3]?\\d(?:st|nd|rd|th)? {1,2}(?:of )?"
              + MONTH
              + "\\.?,? {1,2}(?:19|20)\\d\\d(?!\\d)");

  private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
  private final List<String> regions;
  private final boolean phone;
  private final boolean card;
  private final boolean iban;
  private final boolean ssn;
  private final boolean ip;
  private final boolean dob;

  /**
   * A detector of the enabled types; phone numbers without {@code +country} are tried in the
   * national format of each of {@code regions} (ISO 3166 codes, at least one).
   */
  NumberDetector(
      List<String> regions,
      boolean phone,
      boolean card,
      boolean iban,
      boolean ssn,
      boolean ip,
      boolean dob) {
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("No phone region");
    }
    this.regions = regions.stream().map(r -> r.toUpperCase(Locale.ROOT)).toList();
    this.phone = phone;
    this.card = card;
    this.iban = iban;
    this.ssn = ssn;
    this.ip = ip;
    this.dob = dob;
  }

  @Override
  public void detect(String text, List<Detection> out) {
    int n = text.length();
    Span span = new Span();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c > '9' || c < '0') {
        i++;
        continue;
      }
      if (i > 0 && isGlue(text.charAt(i - 1))) {
        if (iban
            && i >= 2
            && Chars.isUpper(text.charAt(i - 1))
            && Chars.isUpper(text.charAt(i - 2))
            && !Chars.wordBefore(text, i - 2)) {
          int end = iban(text, i - 2);
          if (end > 0) {
            out.add(new Detection(i - 2, end, EntityType.IBAN, Detection.PRIORITY_DEFAULT));
            i = end;
            continue;
          }
          if (end < 0) {
            // IBAN-shaped but invalid: its digits are not another number
            i = -end;
            continue;
          }
        }
        i = skipToken(text, i);
        continue;
      }
      if (i > 1 && text.charAt(i - 1) == '-' && isGlue(text.charAt(i - 2))) {
        // a word's dash-joined part ("INV-2024-000123", "ISO-8601"): an identifier, not a number
        i = skipToken(text, i);
        continue;
      }
      i = scan(text, i, span, out);
    }
  }

  private static boolean isGlue(char c) {
    return c < 128 ? Chars.isAsciiLetter(c) || c == '_' : Character.isLetter(c);
  }

  private static int skipToken(String text, int i) {
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Chars.isWordChar(c) || c == '-') {
        i++;
      } else {
        break;
      }
    }
    return i;
  }

  /** Groups of one span; reused across spans of one call. */
  private static final class Span {
    final int[] start = new int[MAX_GROUPS];
    final int[] end = new int[MAX_GROUPS];
    final char[] sep =
        new char[MAX_GROUPS]; // separator before group k: ' ', '-', '.', '/', '(' or 0
    int count;
    int first; // span start, including a leading '+' or '('
    boolean plus;
  }

  private int scan(String text, int i, Span span, List<Detection> out) {
    int n = text.length();
    span.count = 0;
    span.plus = false;
    span.first = i;
    if (i > 0 && (text.charAt(i - 1) == '+' || text.charAt(i - 1) == '(')) {
      span.first = i - 1;
      span.plus = text.charAt(i - 1) == '+';
    }
    int j = i;
    char sep = 0;
    while (true) {
      int g = j;
      while (j < n && Chars.isDigit(text.charAt(j))) {
        j++;
      }
      span.start[span.count] = g;
      span.end[span.count] = j;
      span.sep[span.count] = sep;
      span.count++;
      if (span.count == MAX_GROUPS || j >= n) {
        break;
      }
      int k = j;
      boolean paren = false;
      while (k < n && k - j < 2 && isSeparator(text.charAt(k))) {
        paren |= text.charAt(k) == '(' || text.charAt(k) == ')';
        k++;
      }
      int run = k - j;
      if (run == 0 || k >= n || !Chars.isDigit(text.charAt(k)) || (run == 2 && !paren)) {
        break;
      }
      sep = paren ? '(' : text.charAt(j);
      j = k;
    }
    if (dob && textualDate(text, span, out)) {
      return Math.max(span.end[span.count - 1], lastEnd(out));
    }
    int resume = span.end[span.count - 1];
    if (resume < n && isGlue(text.charAt(resume))) {
      // the last group is glued to a word ("123abc"): drop it and skip that token
      span.count--;
      resume = skipToken(text, resume);
      if (span.count == 0) {
        return resume;
      }
    }
    int a = 0;
    while (a < span.count) {
      boolean found = false;
      for (int b = span.count - 1; b >= a && !found; b--) {
        Detection d = classify(text, span, a, b);
        if (d != null) {
          out.add(d);
          a = b + 1;
          found = true;
        }
      }
      if (!found) {
        a++;
      }
    }
    return resume;
  }

  private static int lastEnd(List<Detection> out) {
    return out.get(out.size() - 1).end();
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
  }

  private Detection classify(String text, Span sp, int a, int b) {
    // dotted sequences are all-or-nothing
    if ((a > 0 && sp.sep[a] == '.') || (b + 1 < sp.count && sp.sep[b + 1] == '.')) {
      return null;
    }
    int groups = b - a + 1;
    int digits = 0;
    boolean allSame = true;
    boolean anyDot = false;
    boolean anySlash = false;
    for (int k = a; k <= b; k++) {
      digits += sp.end[k] - sp.start[k];
      if (k > a) {
        allSame &= sp.sep[k] == sp.sep[a + 1];
        anyDot |= sp.sep[k] == '.';
        anySlash |= sp.sep[k] == '/';
      }
    }
    int s = sp.start[a];
    int e = sp.end[b];
    if (digits > 19 || groups > 8) {
      return null;
    }
    if (ip && groups == 4 && allSame && sp.sep[a + 1] == '.' && ipv4(text, sp, a)) {
      return Chars.containsKeyword(text, Chars.windowStart(text, s, 20), s, VERSION, true)
          ? null
          : new Detection(s, e, EntityType.IP, Detection.PRIORITY_DEFAULT);
    }
    if (ssn && ssn(text, sp, a, b, groups, allSame)) {
      return new Detection(s, e, EntityType.SSN, Detection.PRIORITY_DEFAULT);
    }
    if (card
        && digits >= 13
        && !anyDot
        && !anySlash
        && text.charAt(s) >= '2'
        && text.charAt(s) <= '6'
        && cardGrouping(sp, a, b, groups, allSame)
        && (groups > 1 || !negativeContext(text, s))
        && luhn(text, s, e)) {
      return new Detection(s, e, EntityType.CARD, Detection.PRIORITY_DEFAULT);
    }
    // always classified, even when both types are allowed: a health identifier is never a phone
    if (digits == 10 || digits == 15) {
      EntityType health = healthId(text, sp, a, b, groups, allSame, digits);
      if (health != null) {
        return new Detection(s, e, health, Detection.PRIORITY_DEFAULT);
      }
    }
    if (dob && groups == 3 && allSame && numericDate(text, sp, a) && dobContext(text, s)) {
      return new Detection(s, e, EntityType.DOB, Detection.PRIORITY_DEFAULT);
    }
    if (phone && digits >= 7 && digits <= 15 && !anySlash && (!anyDot || allSame)) {
      int from = a == 0 ? sp.first : s;
      boolean plus = a == 0 && sp.plus;
      if (phoneShape(text, sp, a, b, groups, digits, plus) && validPhone(text, from, e)) {
        return new Detection(from, e, EntityType.PHONE, Detection.PRIORITY_DEFAULT);
      }
    }
    return null;
  }

  private static int value(String text, int s, int e) {
    int v = 0;
    for (int i = s; i < e; i++) {
      v = v * 10 + (text.charAt(i) - '0');
    }
    return v;
  }

  private static boolean ipv4(String text, Span sp, int a) {
    for (int k = a; k < a + 4; k++) {
      int len = sp.end[k] - sp.start[k];
      if (len > 3 || value(text, sp.start[k], sp.end[k]) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean ssn(String text, Span sp, int a, int b, int groups, boolean allSame) {
    int s = sp.start[a];
    if (groups == 3) {
      if (!allSame
          || (sp.sep[a + 1] != '-' && sp.sep[a + 1] != ' ')
          || sp.end[a] - s != 3
          || sp.end[a + 1] - sp.start[a + 1] != 2
          || sp.end[b] - sp.start[b] != 4) {
        return false;
      }
      return validSsn(
          value(text, s, s + 3),
          value(text, sp.start[a + 1], sp.end[a + 1]),
          value(text, sp.start[b], sp.end[b]));
    }
    if (groups == 1 && sp.end[a] - s == 9) {
      return validSsn(value(text, s, s + 3), value(text, s + 3, s + 5), value(text, s + 5, s + 9))
          && Chars.containsKeyword(text, Chars.windowStart(text, s, 32), s, SSN_WORDS, false);
    }
    return false;
  }

  private static boolean validSsn(int area, int group, int serial) {
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
  }

  private static boolean cardGrouping(Span sp, int a, int b, int groups, boolean allSame) {
    if (groups == 1) {
      return true;
    }
    if (!allSame || (sp.sep[a + 1] != ' ' && sp.sep[a + 1] != '-')) {
      return false;
    }
    int[] len = new int[groups];
    for (int k = 0; k < groups; k++) {
      len[k] = sp.end[a + k] - sp.start[a + k];
    }
    if (groups == 3) {
      return len[0] == 4 && len[1] == 6 && (len[2] == 4 || len[2] == 5);
    }
    if (groups < 4 || groups > 5 || len[0] != 4) {
      return false;
    }
    for (int k = 1; k < groups - 1; k++) {
      if (len[k] != 4) {
        return false;
      }
    }
    return len[groups - 1] >= 1 && len[groups - 1] <= 4;
  }

  /**
   * The Luhn check over the digits of {@code text} from {@code s} to {@code e}, skipping others.
   */
  static boolean luhn(String text, int s, int e) {
    int sum = 0;
    boolean dbl = false;
    for (int i = e - 1; i >= s; i--) {
      char c = text.charAt(i);
      if (!Chars.isDigit(c)) {
        continue;
      }
      int d = c - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  private static boolean negativeContext(String text, int s) {
    int k = s - 1;
    while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == ':')) {
      k--;
    }
    if (k >= 0 && text.charAt(k) == '#') {
      return true;
    }
    return negativeKeyword(text, s);
  }

  /** Whether "order", "invoice", "tracking", "SKU", ... precede {@code s} closely. */
  static boolean negativeKeyword(String text, int s) {
    return Chars.containsKeyword(text, Chars.windowStart(text, s, 24), s, NEGATIVE, true);
  }

  private static boolean numericDate(String text, Span sp, int a) {
    char sep = sp.sep[a + 1];
    if (sep != '-' && sep != '/' && sep != '.') {
      return false;
    }
    int l0 = sp.end[a] - sp.start[a];
    int l1 = sp.end[a + 1] - sp.start[a + 1];
    int l2 = sp.end[a + 2] - sp.start[a + 2];
    int v0 = value(text, sp.start[a], sp.end[a]);
    int v1 = value(text, sp.start[a + 1], sp.end[a + 1]);
    int v2 = value(text, sp.start[a + 2], sp.end[a + 2]);
    if (l0 == 4 && l1 <= 2 && l2 <= 2) {
      return year(v0) && monthDay(v1, v2);
    }
    if (l0 <= 2 && l1 <= 2 && (l2 == 4 || l2 == 2)) {
      return (l2 == 2 || year(v2)) && (monthDay(v0, v1) || monthDay(v1, v0));
    }
    return false;
  }

  private static boolean year(int y) {
    return y >= 1900 && y <= 2100;
  }

  private static boolean monthDay(int m, int d) {
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
  }

  private static boolean dobContext(String text, int s) {
    return Chars.containsKeyword(text, Chars.windowStart(text, s, 60), s, DOB_WORDS, false);
  }

  /** "March 3, 1985" / "3rd of March 1985" after a date-of-birth word. */
  private static boolean textualDate(String text, Span sp, List<Detection> out) {
    int s = sp.start[0];
    int len = sp.end[0] - s;
    if (len > 2) {
      return false;
    }
    int n = text.length();
    // month first: the word before the day
    int k = s - 1;
    while (k >= 0 && text.charAt(k) == ' ') {
      k--;
    }
    if (k >= 0 && text.charAt(k) == '.') {
      k--;
    }
    int w = k;
    while (w >= 0 && Chars.isAsciiLetter(text.charAt(w))) {
      w--;
    }
    w++;
    if (k - w + 1 >= 3 && k < s - 1 && monthAt(text, w) && !Chars.wordBefore(text, w)) {
      Matcher m = MONTH_FIRST.matcher(text).region(w, Math.min(n, w + 32));
      if (m.lookingAt() && dobContext(text, w)) {
        out.add(new Detection(w, m.end(), EntityType.DOB, Detection.PRIORITY_DEFAULT));
        return true;
      }
    }
    int after = sp.end[0];
    int m0 = after;
    if (m0 + 2 <= n && Chars.isAsciiLetter(text.charAt(m0)) && !monthAt(text, m0)) {
      m0 += 2; // st, nd, rd, th
    }
    while (m0 < n && text.charAt(m0) == ' ') {
      m0++;
    }
    if (text.regionMatches(true, m0, "of ", 0, 3)) {
      m0 += 3;
    }
    if (m0 < n
        && (text.charAt(after) == ' ' || Chars.isAsciiLetter(text.charAt(after)))
        && monthAt(text, m0)) {
      Matcher m = DAY_FIRST.matcher(text).region(s, Math.min(n, s + 32));
      if (m.lookingAt() && dobContext(text, s)) {
        out.add(new Detection(s, m.end(), EntityType.DOB, Detection.PRIORITY_DEFAULT));
        return true;
      }
    }
    return false;
  }

  private static final String MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec";

  /** Whether a month abbreviation starts at {@code i} (cheap filter before the date regexes). */
  private static boolean monthAt(String text, int i) {
    if (i + 3 > text.length()) {
      return false;
    }
    for (int m = 0; m < MONTHS.length(); m += 4) {
      if (text.regionMatches(true, i, MONTHS, m, 3)) {
        return true;
      }
    }
    return false;
  }

  private static boolean phoneShape(
      String text, Span sp, int a, int b, int groups, int digits, boolean plus) {
    if (plus ? digits < 8 : digits < 7) {
      return false;
    }
    if (groups == 1) {
      // unformatted: 10-11 digits (or any +international), and no order-number context
      return (plus || digits == 10 || digits == 11) && !negativeContext(text, sp.first);
    }
    for (int k = a; k <= b; k++) {
      int len = sp.end[k] - sp.start[k];
      if (k > a && len < 2 && !(plus && k == a + 1)) {
        return false;
      }
      if (k < b && len == 4 && sp.end[k + 1] - sp.start[k + 1] <= 2) {
        return false;
      }
    }
    return true;
  }

  private boolean validPhone(String text, int s, int e) {
    String candidate = text.substring(s, e);
    for (String region : regions) {
      try {
        Phonenumber.PhoneNumber number = phones.parse(candidate, region);
        if (phones.isValidNumber(number)) {
          return true;
        }
      } catch (NumberParseException ex) {
        // not a number in this region's format: try the next
      }
      if (candidate.charAt(0) == '+') {
        return false; // +country: the region played no part
      }
    }
    return false;
  }

  /**
   * An NHS number or NPI: 10 digits (NHS also 3-3-4 with spaces or dashes; NPI also 15 digits
   * starting {@code 80840}) with a valid check digit after a health word; else {@code null}. When
   * both checks pass, the identifier named by the context wins, NHS by default.
   */
  private EntityType healthId(
      String text, Span sp, int a, int b, int groups, boolean allSame, int digits) {
    int s = sp.start[a];
    int e = sp.end[b];
    boolean compact = groups == 1;
    boolean nhsShape =
        digits == 10
            && (compact
                || (groups == 3
                    && allSame
                    && (sp.sep[a + 1] == ' ' || sp.sep[a + 1] == '-')
                    && sp.end[a] - s == 3
                    && sp.end[a + 1] - sp.start[a + 1] == 3));
    boolean npiShape =
        compact
            && (digits == 10 || text.startsWith(HealthIds.NPI_PREFIX, s))
            && (text.charAt(e - 10) == '1' || text.charAt(e - 10) == '2');
    if (!nhsShape && !npiShape) {
      return null;
    }
    String number = digitsOf(text, s, e);
    if (repeated(number)) {
      return null;
    }
    boolean isNhs = nhsShape && HealthIds.nhsCheck(number);
    boolean isNpi = npiShape && HealthIds.npiCheck(number);
    if (!isNhs && !isNpi) {
      return null;
    }
    if (negativeKeyword(text, s)) {
      return null;
    }
    int context = HealthIds.context(text, s);
    if ((context & HealthIds.PHONE) != 0) {
      context &= ~HealthIds.GENERIC; // "patient's phone 415-555-2671": a phone number
    }
    boolean nhsOk = isNhs && (context & (HealthIds.NHS | HealthIds.GENERIC)) != 0;
    boolean npiOk = isNpi && (context & (HealthIds.NPI | HealthIds.GENERIC)) != 0;
    if (nhsOk && npiOk) {
      // both checks pass: the identifier the text names, NHS unless only NPI is named
      boolean onlyNpi = (context & HealthIds.NPI) != 0 && (context & HealthIds.NHS) == 0;
      return onlyNpi ? EntityType.NPI : EntityType.NHS_NUMBER;
    }
    return nhsOk ? EntityType.NHS_NUMBER : npiOk ? EntityType.NPI : null;
  }

  private static String digitsOf(String text, int s, int e) {
    StringBuilder out = new StringBuilder(e - s);
    for (int i = s; i < e; i++) {
      char c = text.charAt(i);
      if (Chars.isDigit(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean repeated(String digits) {
    for (int i = 1; i < digits.length(); i++) {
      if (digits.charAt(i) != digits.charAt(0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The end of a valid IBAN starting at {@code s} (compact or grouped by 4); else minus the end of
   * an IBAN-shaped run of at least 15 characters; else 0.
   */
  private int iban(String text, int s) {
    if (!Iban.hasCountry(text.substring(s, s + 2))) {
      return 0;
    }
    int n = text.length();
    char[] compact = new char[34];
    int[] endAt = new int[34];
    int len = 0;
    int j = s;
    boolean grouped = false;
    while (j < n && len < 34) {
      char c = text.charAt(j);
      if (Chars.isUpper(c) || Chars.isDigit(c)) {
        compact[len] = c;
        endAt[len] = j + 1;
        len++;
        j++;
      } else if (c == ' '
          && len % 4 == 0
          && (grouped || len == 4)
          && j + 1 < n
          && (Chars.isUpper(text.charAt(j + 1)) || Chars.isDigit(text.charAt(j + 1)))) {
        grouped = true;
        j++;
      } else {
        break;
      }
    }
    for (int l = len; l >= 15; l--) {
      int end = endAt[l - 1];
      boolean boundary = !Chars.wordAt(text, end);
      if (boundary && Iban.isValid(new String(compact, 0, l))) {
        return end;
      }
    }
    return len >= 15 ? -endAt[len - 1] : 0;
  }
}
