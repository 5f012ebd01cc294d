package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IbanTest {

  /**
   * The SWIFT IBAN registry's formats as regular expressions (country code, check digits, BBAN),
   * written independently of {@link Iban}'s compact table: {@code \d} digits, {@code [A-Z]}
   * letters, {@code [A-Z0-9]} either.
   */
  private static final String[] REGISTRY = {
    "AD\\d{10}[A-Z0-9]{12}",
    "AE\\d{21}",
    "AL\\d{10}[A-Z0-9]{16}",
    "AT\\d{18}",
    "AX\\d{16}",
    "AZ\\d{2}[A-Z]{4}[A-Z0-9]{20}",
    "BA\\d{18}",
    "BE\\d{14}",
    "BG\\d{2}[A-Z]{4}\\d{6}[A-Z0-9]{8}",
    "BH\\d{2}[A-Z]{4}[A-Z0-9]{14}",
    "BI\\d{25}",
    "BL\\d{12}[A-Z0-9]{11}\\d{2}",
    "BR\\d{25}[A-Z]{1}[A-Z0-9]{1}",
    "BY\\d{2}[A-Z0-9]{4}\\d{4}[A-Z0-9]{16}",
    "CH\\d{7}[A-Z0-9]{12}",
    "CR\\d{20}",
    "CY\\d{10}[A-Z0-9]{16}",
    "CZ\\d{22}",
    "DE\\d{20}",
    "DJ\\d{25}",
    "DK\\d{16}",
    "DO\\d{2}[A-Z0-9]{4}\\d{20}",
    "EE\\d{18}",
    "EG\\d{27}",
    "ES\\d{22}",
    "FI\\d{16}",
    "FK\\d{2}[A-Z]{2}\\d{12}",
    "FO\\d{16}",
    "FR\\d{12}[A-Z0-9]{11}\\d{2}",
    "GB\\d{2}[A-Z]{4}\\d{14}",
    "GE\\d{2}[A-Z]{2}\\d{16}",
    "GF\\d{12}[A-Z0-9]{11}\\d{2}",
    "GG\\d{2}[A-Z]{4}\\d{14}",
    "GI\\d{2}[A-Z]{4}[A-Z0-9]{15}",
    "GL\\d{16}",
    "GP\\d{12}[A-Z0-9]{11}\\d{2}",
    "GR\\d{9}[A-Z0-9]{16}",
    "GT\\d{2}[A-Z0-9]{24}",
    "HR\\d{19}",
    "HU\\d{26}",
    "IE\\d{2}[A-Z]{4}\\d{14}",
    "IL\\d{21}",
    "IM\\d{2}[A-Z]{4}\\d{14}",
    "IQ\\d{2}[A-Z]{4}\\d{15}",
    "IS\\d{24}",
    "IT\\d{2}[A-Z]{1}\\d{10}[A-Z0-9]{12}",
    "JE\\d{2}[A-Z]{4}\\d{14}",
    "JO\\d{2}[A-Z]{4}\\d{4}[A-Z0-9]{18}",
    "KW\\d{2}[A-Z]{4}[A-Z0-9]{22}",
    "KZ\\d{5}[A-Z0-9]{13}",
    "LB\\d{6}[A-Z0-9]{20}",
    "LC\\d{2}[A-Z]{4}[A-Z0-9]{24}",
    "LI\\d{7}[A-Z0-9]{12}",
    "LT\\d{18}",
    "LU\\d{5}[A-Z0-9]{13}",
    "LV\\d{2}[A-Z]{4}[A-Z0-9]{13}",
    "LY\\d{23}",
    "MC\\d{12}[A-Z0-9]{11}\\d{2}",
    "MD\\d{2}[A-Z0-9]{20}",
    "ME\\d{20}",
    "MF\\d{12}[A-Z0-9]{11}\\d{2}",
    "MK\\d{5}[A-Z0-9]{10}\\d{2}",
    "MN\\d{18}",
    "MQ\\d{12}[A-Z0-9]{11}\\d{2}",
    "MR\\d{25}",
    "MT\\d{2}[A-Z]{4}\\d{5}[A-Z0-9]{18}",
    "MU\\d{2}[A-Z]{4}\\d{19}[A-Z]{3}",
    "NC\\d{12}[A-Z0-9]{11}\\d{2}",
    "NI\\d{2}[A-Z]{4}\\d{20}",
    "NL\\d{2}[A-Z]{4}\\d{10}",
    "NO\\d{13}",
    "OM\\d{5}[A-Z0-9]{16}",
    "PF\\d{12}[A-Z0-9]{11}\\d{2}",
    "PK\\d{2}[A-Z]{4}[A-Z0-9]{16}",
    "PL\\d{26}",
    "PM\\d{12}[A-Z0-9]{11}\\d{2}",
    "PS\\d{2}[A-Z]{4}[A-Z0-9]{21}",
    "PT\\d{23}",
    "QA\\d{2}[A-Z]{4}[A-Z0-9]{21}",
    "RE\\d{12}[A-Z0-9]{11}\\d{2}",
    "RO\\d{2}[A-Z]{4}[A-Z0-9]{16}",
    "RS\\d{20}",
    "RU\\d{16}[A-Z0-9]{15}",
    "SA\\d{4}[A-Z0-9]{18}",
    "SC\\d{2}[A-Z]{4}\\d{20}[A-Z]{3}",
    "SD\\d{16}",
    "SE\\d{22}",
    "SI\\d{17}",
    "SK\\d{22}",
    "SM\\d{2}[A-Z]{1}\\d{10}[A-Z0-9]{12}",
    "SO\\d{21}",
    "ST\\d{23}",
    "SV\\d{2}[A-Z]{4}\\d{20}",
    "TF\\d{12}[A-Z0-9]{11}\\d{2}",
    "TL\\d{21}",
    "TN\\d{22}",
    "TR\\d{8}[A-Z0-9]{16}",
    "UA\\d{8}[A-Z0-9]{19}",
    "VA\\d{20}",
    "VG\\d{2}[A-Z]{4}\\d{16}",
    "WF\\d{12}[A-Z0-9]{11}\\d{2}",
    "XK\\d{18}",
    "YT\\d{12}[A-Z0-9]{11}\\d{2}"
  };

  @ParameterizedTest
  @ValueSource(
      strings = {
        // the registry's and the banks' published examples
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "BE68539007547034",
        "NO9386011117947",
        "MT84MALT011000012345MTLCAST001S",
        "SC18SSCB11010000000000001497USD",
        "BR9700360305000010009795493P1",
        "CH9300762011623852957",
        "LC55HEMM000100010012001200023015",
        "RU0304452522540817810538091310419",
        "AX2112345600000785",
        "IT60X0542811101000000123456",
        "ES9121000418450200051332"
      })
  void publishedExamplesAreValid(String iban) {
    assertThat(Iban.isValid(iban)).isTrue();
    assertThat(Iban.mod97(iban)).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GB82WEST1234569876543", // one character short
        "GB82WEST123456987654321", // one character long
        "DE89370400440532013001", // wrong check
        "DE88370400440532013000", // wrong check digits
        "XX89370400440532013000", // no such country
        "US89370400440532013000", // a country without IBANs
        "GB82west12345698765432", // lower case
        "NL91ABNA041716430A", // letter where the Netherlands have digits
        "IT6010542811101000000123456", // digit where Italy has a letter (CIN)
        "GB82WEST12345698765A32", // letter where the United Kingdom has digits
        "DE",
        "DE89",
        ""
      })
  void malformedOrWrongIbansAreInvalid(String iban) {
    assertThat(Iban.isValid(iban)).isFalse();
  }

  @Test
  void everyRegistryCountryAcceptsItsFormatAndRejectsEveryOtherShape() {
    Random random = new Random(13616);
    for (String format : REGISTRY) {
      String country = format.substring(0, 2);
      String kinds = kinds(format);
      assertThat(Iban.hasCountry(country)).as(country).isTrue();
      for (int round = 0; round < 5; round++) {
        String iban = generate(random, country, kinds);
        assertThat(iban).matches(format);
        assertThat(Iban.isValid(iban)).as(iban).isTrue();
        // one character more or less, with the check digits recomputed
        String bban = iban.substring(4);
        assertThat(Iban.isValid(withCheck(country, bban + "0"))).as(iban + "0").isFalse();
        assertThat(Iban.isValid(withCheck(country, bban.substring(1)))).isFalse();
        for (int i = 4; i < iban.length(); i++) {
          char c = iban.charAt(i);
          // any other digit in place of a digit: the check fails
          if (Chars.isDigit(c)) {
            char other = (char) ('0' + (c - '0' + 1 + random.nextInt(9)) % 10);
            String changed = iban.substring(0, i) + other + iban.substring(i + 1);
            assertThat(Iban.isValid(changed)).as(changed).isFalse();
          }
          // the wrong kind of character, with a correct check: the structure fails
          char kind = kinds.charAt(i - 4);
          if (kind != 'c') {
            String wrong = withCheck(country, setAt(bban, i - 4, kind == 'n' ? 'Q' : '7'));
            assertThat(Iban.isValid(wrong)).as(wrong).isFalse();
          }
        }
      }
    }
  }

  @Test
  void checkDigitsThatAreNeverIssuedAreRejectedEvenWhenTheRemainderFits() {
    // 00 = 97, 01 = 98 and 99 = 02 modulo 97: find IBANs with check digits 97, 98 and 02
    Random random = new Random(7064);
    String kinds = kinds("DE\\d{20}");
    int found = 0;
    for (int attempt = 0; attempt < 100_000 && found < 3; attempt++) {
      String iban = generate(random, "DE", kinds);
      String check = iban.substring(2, 4);
      String alias =
          switch (check) {
            case "97" -> "00";
            case "98" -> "01";
            case "02" -> "99";
            default -> null;
          };
      if (alias != null) {
        String aliased = "DE" + alias + iban.substring(4);
        assertThat(Iban.mod97(aliased)).isEqualTo(1);
        assertThat(Iban.isValid(iban)).isTrue();
        assertThat(Iban.isValid(aliased)).as(aliased).isFalse();
        found++;
      }
    }
    assertThat(found).isGreaterThan(0);
  }

  @Test
  void territoriesUseTheirOwnCodes() {
    assertThat(Iban.hasCountry("GF")).isTrue(); // French Guiana, France's format
    assertThat(Iban.hasCountry("IM")).isTrue(); // Isle of Man, the United Kingdom's format
    assertThat(Iban.hasCountry("XX")).isFalse();
    assertThat(Iban.hasCountry("US")).isFalse();
  }

  @Test
  void theNumberDetectorFindsGroupedAndCompactIbansWithLettersInTheirBban() {
    PiiEngine engine = new PiiEngine(PiiPolicy.defaults());
    assertThat(
            engine
                .redact(
                    "Malta MT84 MALT 0110 0001 2345 MTLC AST0 01S, Seychelles"
                        + " SC18SSCB11010000000000001497USD.",
                    null,
                    new PlaceholderVault())
                .text())
        .isEqualTo("Malta <IBAN_1>, Seychelles <IBAN_2>.");
    // IBAN-shaped with check digits 00: neither an IBAN nor any other number
    assertThat(engine.detect("Account DE00370400440532013000 closed.", null)).isEmpty();
  }

  /** One character per BBAN position: n (digit), a (letter) or c (either). */
  private static String kinds(String format) {
    StringBuilder kinds = new StringBuilder();
    Matcher m = Pattern.compile("(\\\\d|\\[A-Z]|\\[A-Z0-9])\\{(\\d+)}").matcher(format);
    int at = 2; // after the country code; the first two digits are the check digits
    int skip = 2;
    while (m.find()) {
      assertThat(m.start()).as(format).isEqualTo(at);
      char kind =
          switch (m.group(1)) {
            case "\\d" -> 'n';
            case "[A-Z]" -> 'a';
            default -> 'c';
          };
      int count = Integer.parseInt(m.group(2));
      for (int k = 0; k < count; k++) {
        if (skip > 0) {
          skip--; // the check digits
        } else {
          kinds.append(kind);
        }
      }
      at = m.end();
    }
    assertThat(at).as(format).isEqualTo(format.length());
    return kinds.toString();
  }

  private static String setAt(String s, int i, char c) {
    return s.substring(0, i) + c + s.substring(i + 1);
  }

  /** The IBAN with the given BBAN and correct check digits. */
  private static String withCheck(String country, String bban) {
    int remainder = Iban.mod97(country + "00" + bban);
    int check = 98 - remainder;
    return country + (check < 10 ? "0" : "") + check + bban;
  }

  private static String generate(Random random, String country, String kinds) {
    StringBuilder bban = new StringBuilder();
    for (int i = 0; i < kinds.length(); i++) {
      char kind = kinds.charAt(i);
      boolean letter = kind == 'a' || (kind == 'c' && random.nextBoolean());
      bban.append(letter ? (char) ('A' + random.nextInt(26)) : (char) ('0' + random.nextInt(10)));
    }
    return withCheck(country, bban.toString());
  }
}
