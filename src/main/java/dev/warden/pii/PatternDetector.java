package dev.warden.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tenant's custom type, found with a regular expression (its whole match) or a dictionary of
 * words and phrases (case-insensitive, whole words only). A pattern that backtracks
 * catastrophically is stopped after a budget of character reads proportional to the text, and the
 * redaction then fails closed.
 */
public final class PatternDetector implements Detector {

  private static final long BUDGET_PER_CHAR = 200;
  private static final long BUDGET_BASE = 100_000;

  private final EntityType type;
  private final Pattern pattern;

  /** A detector of {@code type} for every match of {@code pattern}. */
  public PatternDetector(EntityType type, Pattern pattern) {
    this.type = Objects.requireNonNull(type, "type");
    this.pattern = Objects.requireNonNull(pattern, "pattern");
  }

  /** A detector of {@code type} for the words of a dictionary (blank entries are ignored). */
  public static PatternDetector dictionary(EntityType type, List<String> words) {
    List<String> sorted = new ArrayList<>();
    for (String w : words) {
      if (w != null && !w.isBlank()) {
        sorted.add(w.trim());
      }
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("Empty dictionary for " + type);
    }
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder regex = new StringBuilder("(?<![\\p{L}\\p{N}_])(?:");
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0) {
        regex.append('|');
      }
      regex.append(Pattern.quote(sorted.get(i)));
    }
    regex.append(")(?![\\p{L}\\p{N}_])");
    return new PatternDetector(
        type, Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
  }

  /** The type this detector reports. */
  public EntityType type() {
    return type;
  }

  @Override
  public void detect(String text, List<Detection> out) {
    Matcher m =
        pattern.matcher(
            new BudgetedText(text, BUDGET_BASE + BUDGET_PER_CHAR * (long) text.length()));
    while (m.find()) {
      if (m.end() > m.start()) {
        out.add(new Detection(m.start(), m.end(), type, Detection.PRIORITY_CUSTOM));
      }
    }
  }

  /** A read-only view that fails after a number of character reads. */
  private static final class BudgetedText implements CharSequence {
    private final String text;
    private long budget;

    BudgetedText(String text, long budget) {
      this.text = text;
      this.budget = budget;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      if (--budget < 0) {
        throw new IllegalStateException("Custom pattern exceeded its matching budget");
      }
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
