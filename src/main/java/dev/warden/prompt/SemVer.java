package dev.warden.prompt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version {@code MAJOR.MINOR.PATCH[-pre]}, ordered as semver.org orders them. */
public record SemVer(int major, int minor, int patch, String pre) implements Comparable<SemVer> {

  private static final Pattern FORMAT =
      Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z.-]+))?");

  /** Parses {@code text}; {@link IllegalArgumentException} when it is not a semantic version. */
  public static SemVer parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a semantic version (MAJOR.MINOR.PATCH): " + text);
    }
    return new SemVer(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)),
        m.group(4));
  }

  public static boolean isValid(String text) {
    return text != null && FORMAT.matcher(text).matches();
  }

  @Override
  public int compareTo(SemVer o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Integer.compare(patch, o.patch);
    }
    if (c != 0) {
      return c;
    }
    if (pre == null || o.pre == null) {
      return pre == null ? (o.pre == null ? 0 : 1) : -1; // a release ranks above its pre-releases
    }
    String[] a = pre.split("\\.");
    String[] b = o.pre.split("\\.");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      boolean na = a[i].matches("\\d+");
      boolean nb = b[i].matches("\\d+");
      int d =
          na && nb
              ? Long.compare(Long.parseLong(a[i]), Long.parseLong(b[i]))
              : na ? -1 : nb ? 1 : a[i].compareTo(b[i]);
      if (d != 0) {
        return d;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch + (pre == null ? "" : "-" + pre);
  }
}
