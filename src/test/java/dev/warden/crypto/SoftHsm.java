package dev.warden.crypto;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SoftHSM2 token directory for tests: its own {@code softhsm2.conf}, tokens initialised with
 * {@code softhsm2-util} and generated PINs, AES keys made inside the token with {@code
 * pkcs11-tool}. When SoftHSM2 is not installed the test is skipped with how to install it, unless
 * {@code WARDEN_REQUIRE_SOFTHSM=1} (CI) makes that a failure.
 */
public final class SoftHsm {
  /** Where Debian's {@code libsofthsm2} puts the PKCS#11 module. */
  static final List<String> LIBRARIES =
      List.of(
          "/usr/lib/softhsm/libsofthsm2.so",
          "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
          "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
          "/usr/local/lib/softhsm/libsofthsm2.so");

  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

  /** The PKCS#11 library. */
  public final Path library;

  /** The {@code softhsm2.conf} (what {@code SOFTHSM2_CONF} must name). */
  public final Path conf;

  private SoftHsm(Path library, Path conf) {
    this.library = library;
    this.conf = conf;
  }

  /** A token: its slot id and user PIN (in a file, owner-only). */
  public record Token(String label, long slot, String pin, Path pinFile) {}

  /**
   * SoftHSM2 with the configuration file {@code conf} and a fresh token directory in {@code dir},
   * or the test is skipped (failed under {@code WARDEN_REQUIRE_SOFTHSM=1}) when it is not
   * installed.
   */
  public static SoftHsm create(Path conf, Path dir) throws IOException {
    Optional<Path> library = LIBRARIES.stream().map(Path::of).filter(Files::isReadable).findFirst();
    List<String> missing = new ArrayList<>();
    if (library.isEmpty()) {
      missing.add("libsofthsm2.so");
    }
    if (!onPath("softhsm2-util")) {
      missing.add("softhsm2-util");
    }
    if (!onPath("pkcs11-tool")) {
      missing.add("pkcs11-tool");
    }
    if (!missing.isEmpty()) {
      String message =
          "SoftHSM2 is not installed (missing "
              + String.join(", ", missing)
              + "): apt-get install -y softhsm2 opensc";
      if ("1".equals(System.getenv("WARDEN_REQUIRE_SOFTHSM"))) {
        fail(message + " (WARDEN_REQUIRE_SOFTHSM=1 requires it)");
      }
      Assumptions.abort(message);
    }
    Path tokens = dir.resolve("tokens");
    Files.createDirectories(tokens);
    Files.createDirectories(conf.toAbsolutePath().getParent());
    Files.writeString(
        conf,
        "directories.tokendir = "
            + tokens.toAbsolutePath()
            + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
    return new SoftHsm(library.get(), conf);
  }

  /** Initialises a new token {@code label} with generated SO and user PINs. */
  public Token initToken(String label, Path pinDir) throws IOException {
    String pin = randomPin();
    String out =
        run(
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            randomPin(),
            "--pin",
            pin);
    Matcher m = SLOT.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("softhsm2-util did not name the slot: " + out);
    }
    Path pinFile = pinDir.resolve(label + ".pin");
    Keysets.writeFile(pinFile, pin + "\n", true);
    return new Token(label, Long.parseLong(m.group(1)), pin, pinFile);
  }

  /** Creates a 256-bit AES key labelled {@code label} inside {@code token} (not extractable). */
  public void createAesKey(Token token, String label) throws IOException {
    run(
        "pkcs11-tool",
        "--module",
        library.toString(),
        "--slot",
        Long.toString(token.slot()),
        "--login",
        "--pin",
        token.pin(),
        "--keygen",
        "--key-type",
        "AES:32",
        "--label",
        label,
        "--sensitive");
  }

  /** The {@code KeysetTool} options of the KEK {@code keyLabel} in {@code token}. */
  public List<String> kekOptions(Token token, String keyLabel, String prefix) {
    return List.of(
        "--" + prefix + "pkcs11-library",
        library.toString(),
        "--" + prefix + "pkcs11-slot",
        Long.toString(token.slot()),
        "--" + prefix + "pkcs11-pin-file",
        token.pinFile().toString(),
        "--" + prefix + "pkcs11-key-label",
        keyLabel);
  }

  /**
   * The settings ({@code warden.audit.kek.pkcs11.*}) of the KEK {@code keyLabel} in {@code token}.
   */
  public Map<String, String> kekSettings(Token token, String keyLabel) {
    return Map.of(
        KeyEncryptionKey.PKCS11_LIBRARY,
        library.toString(),
        KeyEncryptionKey.PKCS11_SLOT,
        Long.toString(token.slot()),
        KeyEncryptionKey.PKCS11_PIN_FILE,
        token.pinFile().toString(),
        KeyEncryptionKey.PKCS11_KEY_LABEL,
        keyLabel);
  }

  private String run(String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toAbsolutePath().toString());
    Process p = pb.start();
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(command[0] + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static String randomPin() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
