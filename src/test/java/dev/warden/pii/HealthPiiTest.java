package dev.warden.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Health identifiers (NHS numbers, NPIs, Medicare beneficiary identifiers) and phone numbers in the
 * national formats of the regions a tenant configures: valid values in their written forms, wrong
 * check digits, and the order, invoice and tracking numbers that must stay.
 */
class HealthPiiTest {

  private static final PiiEngine ENGINE = new PiiEngine(PiiPolicy.defaults());

  /** The values {@code text} holds, as {@code TYPE:value}, in order. */
  private static List<String> found(PiiEngine engine, String text, String tenant) {
    return engine.detect(text, tenant).stream()
        .map(d -> d.type() + ":" + text.substring(d.start(), d.end()))
        .toList();
  }

  private static List<String> found(String text) {
    return found(ENGINE, text, null);
  }

  // ---- check digits

  @Test
  void nhsModulus11() {
    assertThat(HealthIds.nhsCheck("9434765919")).isTrue();
    assertThat(HealthIds.nhsCheck("4010232137")).isTrue();
    assertThat(HealthIds.nhsCheck("4857773457")).isTrue();
    // remainder 0: check digit 0 (11 - 0 = 11 means 0)
    assertThat(HealthIds.nhsCheck("1245319590")).isTrue();
    assertThat(HealthIds.nhsCheck("9434765918")).isFalse();
    assertThat(HealthIds.nhsCheck("4010232136")).isFalse();
    // 943476596: the check would be 10, so no last digit makes it valid
    for (char c = '0'; c <= '9'; c++) {
      assertThat(HealthIds.nhsCheck("943476596" + c)).as("943476596%s", c).isFalse();
    }
    assertThat(HealthIds.nhsCheck("943476591")).isFalse();
  }

  @Test
  void npiLuhnOverTheIssuerPrefix() {
    assertThat(HealthIds.npiCheck("1234567893")).isTrue();
    assertThat(HealthIds.npiCheck("1245319599")).isTrue();
    assertThat(HealthIds.npiCheck("808401234567893")).isTrue();
    assertThat(HealthIds.npiCheck("1234567890")).isFalse();
    assertThat(HealthIds.npiCheck("808401234567890")).isFalse();
    // a plain Luhn check of the 10 digits is not the NPI check
    assertThat(HealthIds.luhn("1234567897")).isTrue();
    assertThat(HealthIds.npiCheck("1234567897")).isFalse();
    // Luhn over 80840 passes, but an NPI starts with 1 or 2
    assertThat(HealthIds.luhn("80840" + "3234567899")).isTrue();
    assertThat(HealthIds.npiCheck("3234567899")).isFalse();
  }

  // ---- NHS numbers

  @Test
  void nhsNumbersInTheirWrittenForms() {
    assertThat(found("NHS number 943 476 5919, please."))
        .containsExactly("NHS_NUMBER:943 476 5919");
    assertThat(found("NHS No: 9434765919")).containsExactly("NHS_NUMBER:9434765919");
    // "No." is an abbreviation, not the end of a sentence
    assertThat(found("Patient NHS No. 9434765919")).containsExactly("NHS_NUMBER:9434765919");
    assertThat(found("nhs 943-476-5919")).containsExactly("NHS_NUMBER:943-476-5919");
    assertThat(found("Patient: Jane Doe, born in Leeds. ID 401 023 2137"))
        .as("the sentence ended before the number")
        .doesNotContain("NHS_NUMBER:401 023 2137");
    assertThat(found("The patient, Jane Doe, 401 023 2137, was seen by her GP."))
        .containsExactly("NHS_NUMBER:401 023 2137");
    assertThat(found("{\"patient\":{\"nhsNumber\":\"4857773457\"}}"))
        .containsExactly("NHS_NUMBER:4857773457");
  }

  @Test
  void nhsNumbersNeedTheirCheckDigitAndTheirGrouping() {
    assertThat(found("NHS number 943 476 5918")).doesNotContain("NHS_NUMBER:943 476 5918");
    // (a 10-digit number that is no NHS number may still be a phone number)
    assertThat(found("NHS number 9434765960")).noneMatch(f -> f.startsWith("NHS_NUMBER"));
    // mixed separators or another grouping are not an NHS number's form
    assertThat(found("NHS number 943 476-5919")).noneMatch(f -> f.startsWith("NHS_NUMBER"));
    assertThat(found("NHS number 94 3476 5919")).noneMatch(f -> f.startsWith("NHS_NUMBER"));
    assertThat(found("NHS number 943.476.5919")).noneMatch(f -> f.startsWith("NHS_NUMBER"));
    // ten equal digits pass modulus 11 but are filler
    assertThat(found("NHS number 1111111111")).isEmpty();
  }

  @Test
  void aTenDigitNumberPassingTheCheckByChanceIsNoNhsNumberWithoutAHealthWord() {
    assertThat(HealthIds.nhsCheck("4155552671")).isTrue();
    assertThat(found("Text 4155552671 when you arrive.")).containsExactly("PHONE:4155552671");
    assertThat(found("Account 4010232137 is closed.")).isEmpty();
    // a telephone word wins over a general health word
    assertThat(found("The patient's phone is 415-555-2671.")).containsExactly("PHONE:415-555-2671");
    // a number after "order" stays, even next to a health word
    assertThat(found("Patient supplies order 9434765919 shipped.")).isEmpty();
  }

  // ---- NPI

  @Test
  void npisInTheirWrittenForms() {
    assertThat(found("NPI 1234567893")).containsExactly("NPI:1234567893");
    assertThat(found("Dr. Smith (NPI: 1245319599) signed it.")).containsExactly("NPI:1245319599");
    assertThat(found("npi#1234567893")).containsExactly("NPI:1234567893");
    assertThat(found("Prescriber 1234567893")).containsExactly("NPI:1234567893");
    assertThat(found("National Provider Identifier 808401234567893"))
        .containsExactly("NPI:808401234567893");
    assertThat(found("{\"npi\": 1234567893}")).containsExactly("NPI:1234567893");
  }

  @Test
  void npisNeedTheirCheckDigitAndAHealthWord() {
    assertThat(found("NPI 1234567890")).noneMatch(f -> f.startsWith("NPI"));
    assertThat(found("NPI 3234567899")).noneMatch(f -> f.startsWith("NPI"));
    assertThat(found("Reference 1234567893 is attached.")).isEmpty();
    assertThat(found("The value 1234567893 is attached.")).isEmpty();
  }

  @Test
  void aNumberPassingBothChecksTakesTheTypeTheTextNames() {
    String both = "1190748339";
    assertThat(HealthIds.nhsCheck(both)).isTrue();
    assertThat(HealthIds.npiCheck(both)).isTrue();
    assertThat(found("NPI " + both)).containsExactly("NPI:" + both);
    assertThat(found("NHS " + both)).containsExactly("NHS_NUMBER:" + both);
    assertThat(found("patient " + both)).containsExactly("NHS_NUMBER:" + both);
  }

  // ---- MBI

  @Test
  void medicareBeneficiaryIdentifiers() {
    assertThat(found("1EG4-TE5-MK73")).containsExactly("MBI:1EG4-TE5-MK73");
    assertThat(found("Her MBI is 1EG4-TE5-MK73.")).containsExactly("MBI:1EG4-TE5-MK73");
    assertThat(found("Medicare ID 1EG4TE5MK73")).containsExactly("MBI:1EG4TE5MK73");
    assertThat(found("Medicare number: 9AA0 C00 AA00")).containsExactly("MBI:9AA0 C00 AA00");
    // positions 3 and 6 may be digits
    assertThat(found("MBI 5A12-A34-AA56")).containsExactly("MBI:5A12-A34-AA56");
    assertThat(found("[\"1EG4-TE5-MK73\",\"2C34-D56-EF78\"]"))
        .containsExactly("MBI:1EG4-TE5-MK73", "MBI:2C34-D56-EF78");
  }

  @Test
  void mbiPositionRules() {
    assertThat(found("Medicare 0EG4-TE5-MK73")).as("position 1 is 1-9").isEmpty();
    assertThat(found("Medicare 1SG4-TE5-MK73")).as("no S").isEmpty();
    assertThat(found("Medicare 1EG4-TL5-MK73")).as("no L").isEmpty();
    assertThat(found("Medicare 1EG4-TE5-MO73")).as("no O").isEmpty();
    assertThat(found("Medicare 1IG4-TE5-MK73")).as("no I").isEmpty();
    assertThat(found("Medicare 1EG4-BE5-MK73")).as("no B").isEmpty();
    assertThat(found("Medicare 1EG4-TE5-ZK73")).as("no Z").isEmpty();
    assertThat(found("Medicare 1EGA-TE5-MK73")).as("position 4 is a digit").isEmpty();
    assertThat(found("Medicare 1EG4-TE5-MK7A")).as("position 11 is a digit").isEmpty();
    assertThat(found("Medicare 1EG4-TE5-M173")).as("position 9 is a letter").isEmpty();
    assertThat(found("Medicare 1eg4-te5-mk73")).as("upper case").isEmpty();
    assertThat(found("Medicare 1EG4-TE5MK73")).as("both dashes or none").isEmpty();
    assertThat(found("Medicare 1EG4-TE5-MK73-9")).as("inside a longer code").isEmpty();
    assertThat(found("Medicare X1EG4-TE5-MK73")).as("inside a longer code").isEmpty();
    assertThat(found("Medicare 1EG4-TE5-MK731")).as("12 characters").isEmpty();
  }

  @Test
  void aCompactMbiNeedsAHealthWordADashedOneDoesNot() {
    assertThat(found("Licence key 1EG4TE5MK73")).isEmpty();
    assertThat(found("Code 1EG4 TE5 MK73")).isEmpty();
    assertThat(found("Code 1EG4-TE5-MK73")).containsExactly("MBI:1EG4-TE5-MK73");
    assertThat(found("SKU 1EG4-TE5-MK73 is out of stock.")).isEmpty();
    assertThat(found("Beneficiary 1EG4TE5MK73")).containsExactly("MBI:1EG4TE5MK73");
  }

  // ---- what must stay

  @Test
  void orderInvoiceAndTrackingNumbersStay() {
    assertThat(HealthIds.luhn("1234567897")).isTrue();
    for (String text :
        List.of(
            "Order 1234567890 shipped yesterday.",
            "Order 1234567897 was delivered.",
            "Order 9434765919 was delivered.",
            "Your order number is 1245319599.",
            "Please pay invoice INV-2024-000123 by Friday.",
            "Invoice 4010232137 is due for the clinic.",
            "UPS tracking 1Z999AA10123456784 for the pharmacy order.",
            "Your parcel 1Z999AA10123456784 is on its way.",
            "Tracking number 9400111899223100012345",
            "Patient portal ticket 1234567893 is closed.",
            "SKU 1EG4TE5MK73 for the medical supplies.",
            "Build 1EG4TE5MK73 of the hospital app.")) {
      assertThat(found(text)).as(text).isEmpty();
    }
  }

  // ---- redaction

  @Test
  void healthIdentifiersBecomePlaceholdersAndComeBack() {
    PlaceholderVault vault = new PlaceholderVault();
    String text = "NHS number 943 476 5919, GP NPI 1234567893, Medicare 1EG4-TE5-MK73.";
    TextRedaction r = ENGINE.redact(text, null, vault);
    assertThat(r.text()).isEqualTo("NHS number <NHS_NUMBER_1>, GP NPI <NPI_1>, Medicare <MBI_1>.");
    assertThat(r.counts())
        .containsEntry("NHS_NUMBER", 1)
        .containsEntry("NPI", 1)
        .containsEntry("MBI", 1);
    assertThat(new Rehydrator(vault).text(r.text())).isEqualTo(text);
  }

  @Test
  void healthIdentifiersFollowTheirActions() {
    PiiEngine engine =
        new PiiEngine(
            TestSettings.policy(
                "warden.pii.action.nhs_number", "mask",
                "warden.pii.action.mbi", "allow",
                "warden.pii.tenant.clinic.action.npi", "block"));
    String text = "NHS number 943 476 5919, NPI 1234567893, MBI 1EG4-TE5-MK73";
    assertThat(engine.redact(text, null, new PlaceholderVault()).text())
        .isEqualTo("NHS number *** *** 5919, NPI <NPI_1>, MBI 1EG4-TE5-MK73");
    assertThatThrownBy(() -> engine.redact(text, "clinic", new PlaceholderVault()))
        .hasMessageContaining("NPI")
        .hasMessageNotContaining("1234567893");
    // allowed everywhere, an NHS number is still no phone number
    PiiEngine allowed = new PiiEngine(TestSettings.policy("warden.pii.action.nhs_number", "allow"));
    assertThat(allowed.redact("NHS 415-555-2671", null, new PlaceholderVault()).text())
        .isEqualTo("NHS 415-555-2671");
  }

  @Test
  void aCustomTypeCannotTakeAHealthIdentifiersName() {
    assertThatThrownBy(() -> TestSettings.policy("warden.pii.pattern.NPI", "\\d{10}"))
        .hasMessageContaining("warden.pii.pattern.NPI");
  }

  // ---- phone regions

  @Test
  void aTenantsRegionsReplaceTheGlobalOnes() {
    PiiEngine engine =
        new PiiEngine(
            TestSettings.policy(
                "warden.pii.tenant.uk.phone.regions", "gb",
                "warden.pii.tenant.eu.phone.regions", "DE, FR"));
    String london = "Ring 020 7946 0958 or 07911 123456.";
    String us = "Call (415) 555-2671.";
    String berlin = "Ruf an: 030 12345678";
    String paris = "Appelez le 01 23 45 67 89";

    assertThat(found(engine, london, null)).isEmpty();
    assertThat(found(engine, london, "uk"))
        .containsExactly("PHONE:020 7946 0958", "PHONE:07911 123456");
    assertThat(found(engine, us, null)).containsExactly("PHONE:(415) 555-2671");
    assertThat(found(engine, us, "other")).containsExactly("PHONE:(415) 555-2671");
    assertThat(found(engine, us, "uk")).isEmpty();
    assertThat(found(engine, berlin, "eu")).containsExactly("PHONE:030 12345678");
    assertThat(found(engine, paris, "eu")).containsExactly("PHONE:01 23 45 67 89");
    assertThat(found(engine, berlin, null)).isEmpty();
    assertThat(found(engine, paris, "uk")).isEmpty();
    // +country is recognised for every tenant
    assertThat(found(engine, "Dial +44 20 7946 0958", null))
        .containsExactly("PHONE:+44 20 7946 0958");
    assertThat(found(engine, "Dial +1 415 555 2671", "uk"))
        .containsExactly("PHONE:+1 415 555 2671");
  }

  @Test
  void globalRegionsApplyToEveryTenantWithoutItsOwn() {
    PiiPolicy policy =
        TestSettings.policy(
            "warden.pii.phone.regions", "US,GB",
            "warden.pii.tenant.de.phone.regions", "DE");
    assertThat(policy.phoneRegions(null)).containsExactly("US", "GB");
    assertThat(policy.phoneRegions("acme")).containsExactly("US", "GB");
    assertThat(policy.phoneRegions("de")).containsExactly("DE");
    PiiEngine engine = new PiiEngine(policy);
    assertThat(found(engine, "Call (415) 555-2671 or 020 7946 0958.", "acme"))
        .containsExactly("PHONE:(415) 555-2671", "PHONE:020 7946 0958");
    // without phone.regions, the default region alone
    assertThat(TestSettings.policy("warden.pii.phone.default-region", "FR").phoneRegions("x"))
        .containsExactly("FR");
    assertThat(PiiPolicy.defaults().phoneRegions(null)).containsExactly("US");
  }

  @Test
  void anUnknownRegionNamesItsKey() {
    assertThatThrownBy(() -> TestSettings.policy("warden.pii.phone.regions", "US,XX"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warden.pii.phone.regions")
        .hasMessageContaining("XX");
    assertThatThrownBy(() -> TestSettings.policy("warden.pii.tenant.t.phone.regions", "GB,UK"))
        .hasMessageContaining("warden.pii.tenant.t.phone.regions");
  }
}
