package dev.warden.cost;

import dev.warden.config.Settings;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The price table: {@code warden.price.<model>.<yyyy-mm-dd>.<input|cached-input|output|
 * batch-discount>}, and the long-context tier of a model that has one: {@code
 * .long-context-threshold} (input tokens), {@code .long-context-input-multiplier} and {@code
 * .long-context-output-multiplier} (see {@code config/prices.properties}). Immutable once built;
 * invalid entries fail at build time, naming the key.
 */
public final class PriceTable {

  static final String PREFIX = "warden.price.";

  private static final List<String> FIELDS =
      List.of(
          "input",
          "cached-input",
          "output",
          "batch-discount",
          "long-context-threshold",
          "long-context-input-multiplier",
          "long-context-output-multiplier");

  /** Per model, its prices by effective date. */
  private final Map<String, TreeMap<LocalDate, Price>> prices = new HashMap<>();

  private PriceTable(Settings settings) {
    Map<String, Map<LocalDate, Map<String, BigDecimal>>> raw = new HashMap<>();
    for (String key : settings.names()) {
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String rest = key.substring(PREFIX.length());
      int fieldDot = rest.lastIndexOf('.');
      int dateDot = fieldDot <= 0 ? -1 : rest.lastIndexOf('.', fieldDot - 1);
      if (dateDot <= 0) {
        throw new IllegalArgumentException(
            key + ": expected warden.price.<model>.<yyyy-mm-dd>.<field>");
      }
      String model = rest.substring(0, dateDot);
      String field = rest.substring(fieldDot + 1);
      LocalDate date;
      try {
        date = LocalDate.parse(rest.substring(dateDot + 1, fieldDot));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(key + ": the date is not yyyy-mm-dd", e);
      }
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(key + ": unknown price field " + field);
      }
      BigDecimal value = decimal(key, settings.string(key, "0"));
      raw.computeIfAbsent(model, m -> new HashMap<>())
          .computeIfAbsent(date, d -> new HashMap<>())
          .put(field, value);
    }
    raw.forEach(
        (model, byDate) ->
            byDate.forEach(
                (date, fields) -> {
                  BigDecimal input = required(fields, "input", model, date);
                  BigDecimal discount = fields.getOrDefault("batch-discount", BigDecimal.ZERO);
                  if (discount.compareTo(BigDecimal.ONE) > 0) {
                    throw new IllegalArgumentException(
                        PREFIX + model + "." + date + ".batch-discount must be between 0 and 1");
                  }
                  prices
                      .computeIfAbsent(model, m -> new TreeMap<>())
                      .put(
                          date,
                          new Price(
                              model,
                              date,
                              input,
                              fields.getOrDefault("cached-input", input),
                              required(fields, "output", model, date),
                              discount,
                              longContext(fields, model, date)));
                }));
  }

  public static PriceTable from(Settings settings) {
    return new PriceTable(settings);
  }

  /**
   * The price of {@code model} (a configured name or a snapshot of one) in effect at {@code when}:
   * the entry with the latest effective date on or before that UTC day. Empty when the model has no
   * price, or none yet at that time.
   */
  public Optional<Price> priceAt(String model, Instant when) {
    return ModelNames.match(prices.keySet(), model)
        .map(prices::get)
        .map(byDate -> byDate.floorEntry(LocalDate.ofInstant(when, ZoneOffset.UTC)))
        .map(Map.Entry::getValue);
  }

  /** The models that have a price (at any date). */
  public java.util.Set<String> models() {
    return java.util.Collections.unmodifiableSet(prices.keySet());
  }

  /** Every entry, by model then date (for reports). */
  public List<Price> all() {
    List<Price> all = new ArrayList<>();
    prices.values().forEach(byDate -> all.addAll(byDate.values()));
    all.sort(Comparator.comparing(Price::model).thenComparing(Price::effectiveFrom));
    return all;
  }

  /** The tier, when a threshold is set; multipliers default to 1 and must not be below it. */
  private static Price.LongContext longContext(
      Map<String, BigDecimal> fields, String model, LocalDate date) {
    BigDecimal threshold = fields.get("long-context-threshold");
    String key = PREFIX + model + "." + date + ".long-context-";
    if (threshold == null) {
      if (fields.containsKey("long-context-input-multiplier")
          || fields.containsKey("long-context-output-multiplier")) {
        throw new IllegalArgumentException(key + "threshold is missing");
      }
      return null;
    }
    if (threshold.signum() <= 0 || threshold.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(key + "threshold must be a positive number of tokens");
    }
    BigDecimal in = fields.getOrDefault("long-context-input-multiplier", BigDecimal.ONE);
    BigDecimal out = fields.getOrDefault("long-context-output-multiplier", BigDecimal.ONE);
    if (in.compareTo(BigDecimal.ONE) < 0 || out.compareTo(BigDecimal.ONE) < 0) {
      throw new IllegalArgumentException(key + "multipliers must be 1 or more");
    }
    return new Price.LongContext(threshold.longValueExact(), in, out);
  }

  private static BigDecimal required(
      Map<String, BigDecimal> fields, String field, String model, LocalDate date) {
    BigDecimal v = fields.get(field);
    if (v == null) {
      throw new IllegalArgumentException(PREFIX + model + "." + date + "." + field + " is missing");
    }
    return v;
  }

  private static BigDecimal decimal(String key, String value) {
    try {
      BigDecimal d = new BigDecimal(value.trim());
      if (d.signum() < 0) {
        throw new IllegalArgumentException(key + " must not be negative: " + value);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a decimal number: " + value, e);
    }
  }
}
