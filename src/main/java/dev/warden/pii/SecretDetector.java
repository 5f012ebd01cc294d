package dev.warden.pii;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Credentials: OpenAI keys ({@code sk-}, {@code sk-proj-}, ...), AWS access key ids ({@code
 * AKIA}/{@code ASIA} + 16), GitHub tokens ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_},
 * {@code ghr_}, {@code github_pat_}), JWTs (three base64url segments whose header is JSON with
 * {@code "alg"}) and PEM private-key blocks (to the matching END line, or to the end of the text
 * when it is missing). Each family is found with {@link String#indexOf} on its literal prefix.
 */
final class SecretDetector implements Detector {

  private static final EntityType T = EntityType.SECRET;
  private static final int P = Detection.PRIORITY_SECRET;

  @Override
  public void detect(String text, List<Detection> out) {
    openAi(text, out);
    aws(text, "AKIA", out);
    aws(text, "ASIA", out);
    github(text, out);
    jwt(text, out);
    pem(text, out);
  }

  private static void openAi(String text, List<Detection> out) {
    for (int i = text.indexOf("sk-"); i >= 0; i = text.indexOf("sk-", i + 3)) {
      if (Chars.wordBefore(text, i) || (i > 0 && text.charAt(i - 1) == '-')) {
        continue;
      }
      int e = i + 3;
      boolean digit = false;
      boolean letter = false;
      while (e < text.length() && Chars.isBase64Url(text.charAt(e))) {
        char c = text.charAt(e);
        digit |= Chars.isDigit(c);
        letter |= Chars.isAsciiLetter(c);
        e++;
      }
      if (e - i >= 23 && digit && letter) {
        out.add(new Detection(i, e, T, P));
        i = e - 3;
      }
    }
  }

  private static void aws(String text, String prefix, List<Detection> out) {
    for (int i = text.indexOf(prefix); i >= 0; i = text.indexOf(prefix, i + 4)) {
      if (Chars.wordBefore(text, i) || i + 20 > text.length()) {
        continue;
      }
      boolean ok = true;
      for (int k = i + 4; k < i + 20 && ok; k++) {
        char c = text.charAt(k);
        ok = Chars.isUpper(c) || Chars.isDigit(c);
      }
      if (ok && !Chars.wordAt(text, i + 20)) {
        out.add(new Detection(i, i + 20, T, P));
      }
    }
  }

  private static void github(String text, List<Detection> out) {
    // Anchor on the underscore, which is rare in prose: "gh?_" and "github_pat_".
    for (int u = text.indexOf('_'); u >= 0; u = text.indexOf('_', u + 1)) {
      int start;
      int minBody;
      if (u >= 3
          && text.charAt(u - 3) == 'g'
          && text.charAt(u - 2) == 'h'
          && "pousr".indexOf(text.charAt(u - 1)) >= 0) {
        start = u - 3;
        minBody = 30;
      } else if (u >= 6 && text.startsWith("github_pat_", u - 6)) {
        start = u - 6;
        u += 4; // past "_pat_"
        minBody = 40;
      } else {
        continue;
      }
      if (Chars.wordBefore(text, start)) {
        continue;
      }
      int e = u + 1;
      while (e < text.length() && (Chars.isAsciiAlnum(text.charAt(e)) || text.charAt(e) == '_')) {
        e++;
      }
      if (e - u - 1 >= minBody) {
        out.add(new Detection(start, e, T, P));
        u = e;
      }
    }
  }

  private static void jwt(String text, List<Detection> out) {
    for (int i = text.indexOf("eyJ"); i >= 0; i = text.indexOf("eyJ", i + 3)) {
      if (i > 0 && (Chars.isBase64Url(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) {
        continue;
      }
      int h = segmentEnd(text, i);
      if (h - i < 10 || h >= text.length() || text.charAt(h) != '.') {
        continue;
      }
      int p = segmentEnd(text, h + 1);
      if (p - h - 1 < 4 || p >= text.length() || text.charAt(p) != '.') {
        continue;
      }
      int s = segmentEnd(text, p + 1);
      if (!headerHasAlg(text.substring(i, h))) {
        continue;
      }
      out.add(new Detection(i, s, T, P));
      i = s - 3;
    }
  }

  private static int segmentEnd(String text, int from) {
    int e = from;
    while (e < text.length() && Chars.isBase64Url(text.charAt(e))) {
      e++;
    }
    return e;
  }

  private static boolean headerHasAlg(String segment) {
    try {
      String json =
          new String(
                  Base64.getUrlDecoder().decode(segment.replace("=", "")), StandardCharsets.UTF_8)
              .trim();
      return json.startsWith("{") && json.contains("\"alg\"");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void pem(String text, List<Detection> out) {
    for (int i = text.indexOf("-----BEGIN "); i >= 0; i = text.indexOf("-----BEGIN ", i + 11)) {
      int close = text.indexOf("-----", i + 11);
      if (close < 0 || close - i > 80) {
        continue;
      }
      String label = text.substring(i + 11, close);
      if (!label.endsWith("PRIVATE KEY")) {
        continue;
      }
      String end = "-----END " + label + "-----";
      int e = text.indexOf(end, close + 5);
      int stop = e < 0 ? text.length() : e + end.length();
      out.add(new Detection(i, stop, T, P));
      i = stop - 11;
    }
  }
}
