package dev.warden.pii;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of sensitive value: one of the built-in types ({@link #EMAIL}, {@link #PHONE}, {@link
 * #CARD}, {@link #IBAN}, {@link #SSN}, {@link #IP}, {@link #DOB}, {@link #SECRET}, {@link
 * #NHS_NUMBER}, {@link #NPI}, {@link #MBI}) or a tenant's custom type (for example {@code
 * EMPLOYEE_ID}). The name is upper case ({@code [A-Z][A-Z0-9_]*}) and appears in placeholders
 * ({@code <EMAIL_1>}), hash tokens, counts and exception messages; the configuration key of a type
 * is its lower-case name ({@code warden.pii.action.employee_id}).
 */
public record EntityType(String name) {

  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

  /** E-mail addresses. */
  public static final EntityType EMAIL = new EntityType("EMAIL");

  /**
   * Telephone numbers, international ({@code +country}) and national in the format of the regions
   * configured for the tenant.
   */
  public static final EntityType PHONE = new EntityType("PHONE");

  /** Payment card numbers (Luhn-checked). */
  public static final EntityType CARD = new EntityType("CARD");

  /** International bank account numbers (checksum-checked). */
  public static final EntityType IBAN = new EntityType("IBAN");

  /** US social security numbers. */
  public static final EntityType SSN = new EntityType("SSN");

  /** IPv4 and IPv6 addresses. */
  public static final EntityType IP = new EntityType("IP");

  /** Dates of birth: dates whose context says so ("born", "DOB", "date of birth", ...). */
  public static final EntityType DOB = new EntityType("DOB");

  /** Secrets: OpenAI keys, AWS access key ids, GitHub tokens, JWTs and PEM private-key blocks. */
  public static final EntityType SECRET = new EntityType("SECRET");

  /** UK NHS numbers (modulus 11 check digit), in a health context. */
  public static final EntityType NHS_NUMBER = new EntityType("NHS_NUMBER");

  /** US National Provider Identifiers (Luhn check digit), in a health context. */
  public static final EntityType NPI = new EntityType("NPI");

  /** US Medicare beneficiary identifiers (CMS format). */
  public static final EntityType MBI = new EntityType("MBI");

  /** The built-in types, in a stable order. */
  public static final List<EntityType> BUILT_IN =
      List.of(EMAIL, PHONE, CARD, IBAN, SSN, IP, DOB, SECRET, NHS_NUMBER, NPI, MBI);

  /**
   * @throws IllegalArgumentException when the name is not {@code [A-Z][A-Z0-9_]*} (at most 40
   *     characters)
   */
  public EntityType {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid entity type name: " + name);
    }
  }

  /**
   * The type for a configured name, upper-cased ({@code employee_id} gives {@code EMPLOYEE_ID}).
   */
  public static EntityType of(String name) {
    return new EntityType(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The configuration key segment: the name in lower case. */
  public String key() {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return name;
  }
}
