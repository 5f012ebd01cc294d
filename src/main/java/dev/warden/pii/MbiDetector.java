package dev.warden.pii;

import java.util.List;

/**
 * US Medicare beneficiary identifiers (MBI): 11 characters by the CMS position rules. Position 1 is
 * a digit 1-9; positions 2, 5, 8 and 9 are letters; positions 4, 7, 10 and 11 are digits; positions
 * 3 and 6 are a letter or a digit. Letters are upper case, never S, L, O, I, B or Z.
 *
 * <p>Written with dashes after positions 4 and 7 ({@code 1EG4-TE5-MK73}) the shape is distinctive
 * and is enough. Compact ({@code 1EG4TE5MK73}) or spaced ({@code 1EG4 TE5 MK73}) it could be a
 * product or licence code, so it also needs a health word before it in the same sentence ({@link
 * HealthIds#context}). Never inside a longer token, and never after "order", "invoice", "tracking",
 * "SKU" and the like.
 */
final class MbiDetector implements Detector {

  private static final int LENGTH = 11;
  // L: a letter; D: a digit; A: a letter or a digit (position 1 is checked apart: 1-9)
  private static final String RULE = "DLADLADLLDD";

  @Override
  public void detect(String text, List<Detection> out) {
    int n = text.length();
    int i = 0;
    while (i + LENGTH <= n) {
      char c = text.charAt(i);
      if (c < '1' || c > '9' || (i > 0 && boundaryChar(text.charAt(i - 1)))) {
        i++;
        continue;
      }
      int end = match(text, i);
      if (end > 0) {
        out.add(new Detection(i, end, EntityType.MBI, Detection.PRIORITY_DEFAULT));
        i = end;
      } else {
        i++;
      }
    }
  }

  /** A character that makes a token longer: a word character or a dash. */
  private static boolean boundaryChar(char c) {
    return Chars.isWordChar(c) || c == '-';
  }

  /** The end of an MBI starting at {@code s}, or 0. */
  private static int match(String text, int s) {
    int n = text.length();
    char sep = 0;
    int j = s;
    for (int p = 0; p < LENGTH; p++) {
      if (p == 4 || p == 7) {
        char c = j < n ? text.charAt(j) : 0;
        if (p == 4 && (c == '-' || c == ' ')) {
          sep = c;
        }
        if (sep != 0) {
          if (c != sep) {
            return 0;
          }
          j++;
        }
      }
      if (j >= n || !fits(RULE.charAt(p), text.charAt(j))) {
        return 0;
      }
      j++;
    }
    if (j < n
        && (Chars.isWordChar(text.charAt(j))
            || (text.charAt(j) == '-' && j + 1 < n && Chars.isWordChar(text.charAt(j + 1))))) {
      return 0;
    }
    if (NumberDetector.negativeKeyword(text, s)) {
      return 0;
    }
    if (sep != '-' && (HealthIds.context(text, s) & ~HealthIds.PHONE) == 0) {
      return 0;
    }
    return j;
  }

  private static boolean fits(char rule, char c) {
    switch (rule) {
      case 'D':
        return Chars.isDigit(c);
      case 'L':
        return letter(c);
      default:
        return Chars.isDigit(c) || letter(c);
    }
  }

  /** An upper-case letter an MBI may use: not S, L, O, I, B or Z. */
  private static boolean letter(char c) {
    return Chars.isUpper(c) && c != 'S' && c != 'L' && c != 'O' && c != 'I' && c != 'B' && c != 'Z';
  }
}
