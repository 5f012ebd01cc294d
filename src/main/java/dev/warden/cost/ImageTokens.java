package dev.warden.cost;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The input tokens of one image, by OpenAI's documented formula (the "Images and vision" guide,
 * section "Calculating costs"):
 *
 * <ul>
 *   <li><b>Tile models</b> (GPT-4o, 4.1, 4.5, GPT-5, o1, o3, and unknown models): at {@code detail:
 *       low} the base tokens only; at {@code high} or {@code auto} the image is scaled to fit a
 *       2048×2048 square, then so that its shortest side is 768 px (never enlarged), the 512-px
 *       tiles covering it are counted, and tokens = base + tiles × per tile. Base / per tile: 85 /
 *       170 for GPT-4o, 4.1 and 4.5; 70 / 140 for GPT-5; 75 / 150 for o1 and o3; 2833 / 5667 for
 *       GPT-4o mini.
 *   <li><b>Patch models</b> (GPT-4.1 mini and nano, GPT-5 mini and nano, o4-mini): the 32-px
 *       patches covering the image, scaled down to at most 1536 patches, times the model's
 *       multiplier (1.62 for the minis, 2.46 for the nanos, 1.72 for o4-mini); {@code detail} does
 *       not change it.
 * </ul>
 *
 * The size of an image comes only from the request itself: the header of a base64 {@code data:} URL
 * (PNG, JPEG, GIF, WebP). Warden never fetches a remote image (that would let a caller make Warden
 * request any address), so a remote URL, or data whose size cannot be read, counts as the largest
 * an image can cost on that model at that detail: an upper bound, released when the upstream
 * reports the real usage.
 */
public final class ImageTokens {

  /** Tiles or patches, and the figures of one model family. */
  record Family(String prefix, boolean patches, int base, int perTile, double multiplier) {}

  // Longest prefix first: "gpt-4o-mini" before "gpt-4o", "gpt-5-mini" before "gpt-5".
  private static final Family[] FAMILIES = {
    new Family("gpt-4o-mini", false, 2833, 5667, 0),
    new Family("gpt-4.1-mini", true, 0, 0, 1.62),
    new Family("gpt-4.1-nano", true, 0, 0, 2.46),
    new Family("gpt-5-mini", true, 0, 0, 1.62),
    new Family("gpt-5-nano", true, 0, 0, 2.46),
    new Family("o4-mini", true, 0, 0, 1.72),
    new Family("gpt-5", false, 70, 140, 0),
    new Family("o1", false, 75, 150, 0),
    new Family("o3", false, 75, 150, 0),
  };

  /** GPT-4o, 4.1, 4.5 and any model not named above. */
  private static final Family DEFAULT = new Family("", false, 85, 170, 0);

  static final int MAX_PATCHES = 1536;

  /** Tiles: the most a 2048×2048-fitted, 768-px-short-side image can need (2 × 4). */
  static final int MAX_TILES = 8;

  private ImageTokens() {}

  static Family family(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    for (Family f : FAMILIES) {
      if (m.startsWith(f.prefix())) {
        return f;
      }
    }
    return DEFAULT;
  }

  /**
   * The tokens of the image at {@code url} (an https or {@code data:} URL, or a file id) with
   * {@code detail} ({@code low}, {@code high}, {@code auto} or null) on {@code model}.
   */
  public static int of(String model, String url, String detail) {
    Optional<int[]> size = ImageSize.ofDataUrl(url);
    Family f = family(model);
    boolean low = "low".equals(detail);
    if (size.isEmpty()) {
      return upperBound(f, low);
    }
    return of(f, size.get()[0], size.get()[1], low);
  }

  /** The tokens of a {@code width}×{@code height} image on {@code model}. */
  public static int of(String model, int width, int height, String detail) {
    return of(family(model), width, height, "low".equals(detail));
  }

  private static int upperBound(Family f, boolean low) {
    if (f.patches()) {
      return (int) Math.ceil(MAX_PATCHES * f.multiplier());
    }
    return low ? f.base() : f.base() + MAX_TILES * f.perTile();
  }

  private static int of(Family f, int width, int height, boolean low) {
    if (width <= 0 || height <= 0) {
      return upperBound(f, low);
    }
    if (f.patches()) {
      return (int) Math.ceil(patches(width, height) * f.multiplier());
    }
    if (low) {
      return f.base();
    }
    double w = width;
    double h = height;
    if (w > 2048 || h > 2048) {
      double scale = 2048 / Math.max(w, h);
      w *= scale;
      h *= scale;
    }
    if (Math.min(w, h) > 768) {
      double scale = 768 / Math.min(w, h);
      w *= scale;
      h *= scale;
    }
    long tiles = (long) Math.ceil(w / 512) * (long) Math.ceil(h / 512);
    return (int) (f.base() + tiles * f.perTile());
  }

  /** The 32-px patches of the image, scaled down to at most {@value #MAX_PATCHES}. */
  static int patches(int width, int height) {
    long patches = ceilDiv(width, 32) * ceilDiv(height, 32);
    if (patches <= MAX_PATCHES) {
      return (int) patches;
    }
    double shrink = Math.sqrt(32.0 * 32 * MAX_PATCHES / ((double) width * height));
    double w = width * shrink;
    double h = height * shrink;
    // adjust so that a whole number of patches covers the narrower fit
    double adjust = Math.min(Math.floor(w / 32) / (w / 32), Math.floor(h / 32) / (h / 32));
    w *= adjust;
    h *= adjust;
    // the one side was made a whole number of patches: do not let rounding error add a patch
    long cols = (long) Math.ceil(w / 32 - 1e-9);
    long rows = (long) Math.ceil(h / 32 - 1e-9);
    return (int) Math.min(MAX_PATCHES, cols * rows);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** Reads width and height from the header of a base64 image {@code data:} URL. */
  static final class ImageSize {

    /** Enough of the data for any header Warden reads (a JPEG's frame may follow its EXIF). */
    private static final int MAX_BASE64 = 1 << 20;

    private ImageSize() {}

    static Optional<int[]> ofDataUrl(String url) {
      if (url == null || !url.regionMatches(true, 0, "data:", 0, 5)) {
        return Optional.empty();
      }
      int comma = url.indexOf(',');
      if (comma < 0 || !url.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
        return Optional.empty();
      }
      String data = url.substring(comma + 1, Math.min(url.length(), comma + 1 + MAX_BASE64));
      data = data.substring(0, data.length() - data.length() % 4);
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(data.getBytes(StandardCharsets.US_ASCII));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      return of(bytes);
    }

    /** Width and height of a PNG, GIF, JPEG or WebP image from its first bytes. */
    static Optional<int[]> of(byte[] b) {
      if (b.length >= 24 && u8(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
        return size(be32(b, 16), be32(b, 20));
      }
      if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
        return size(le16(b, 6), le16(b, 8));
      }
      if (b.length >= 4 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8) {
        return jpeg(b);
      }
      if (b.length >= 30
          && b[0] == 'R'
          && b[1] == 'I'
          && b[2] == 'F'
          && b[3] == 'F'
          && b[8] == 'W'
          && b[9] == 'E'
          && b[10] == 'B'
          && b[11] == 'P') {
        return webp(b);
      }
      return Optional.empty();
    }

    private static Optional<int[]> jpeg(byte[] b) {
      int i = 2;
      while (i + 9 < b.length) {
        if (u8(b, i) != 0xFF) {
          return Optional.empty();
        }
        int marker = u8(b, i + 1);
        if (marker == 0xFF) {
          i++;
          continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
          i += 2;
          continue;
        }
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): the frame header with the size
        if (marker >= 0xC0
            && marker <= 0xCF
            && marker != 0xC4
            && marker != 0xC8
            && marker != 0xCC) {
          return size(be16(b, i + 7), be16(b, i + 5));
        }
        if (marker == 0xD9 || marker == 0xDA) {
          return Optional.empty();
        }
        i += 2 + be16(b, i + 2);
      }
      return Optional.empty();
    }

    private static Optional<int[]> webp(byte[] b) {
      if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == ' ') {
        return size(le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
      }
      if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'L' && u8(b, 20) == 0x2F) {
        int bits = u8(b, 21) | u8(b, 22) << 8 | u8(b, 23) << 16 | u8(b, 24) << 24;
        return size((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
      }
      if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'X') {
        int w = 1 + (u8(b, 24) | u8(b, 25) << 8 | u8(b, 26) << 16);
        int h = 1 + (u8(b, 27) | u8(b, 28) << 8 | u8(b, 29) << 16);
        return size(w, h);
      }
      return Optional.empty();
    }

    private static Optional<int[]> size(int width, int height) {
      return width > 0 && height > 0 ? Optional.of(new int[] {width, height}) : Optional.empty();
    }

    private static int u8(byte[] b, int i) {
      return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
      return u8(b, i) << 8 | u8(b, i + 1);
    }

    private static int le16(byte[] b, int i) {
      return u8(b, i) | u8(b, i + 1) << 8;
    }

    private static int be32(byte[] b, int i) {
      return u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3);
    }
  }
}
