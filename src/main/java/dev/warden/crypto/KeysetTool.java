package dev.warden.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import dev.warden.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command line for operators and the development quick start. Keyset files are Tink JSON written
 * readable by the owner only: encrypted under a key-encryption key (KEK) when KEK options are given
 * (what production requires), cleartext otherwise (development, and the KEK keyset itself). The
 * tool never prints key material.
 *
 * <pre>
 * java -cp ... dev.warden.crypto.KeysetTool &lt;command&gt; &lt;file&gt; [arguments] [KEK options]
 *   new-aead &lt;file&gt;          new master keyset (one AES256-GCM key); refuses to overwrite
 *   new-mac &lt;file&gt;           new checkpoint MAC keyset (one HMAC-SHA256 key); refuses to overwrite
 *   new-signing &lt;file&gt;       new audit signing keyset (one Ed25519 key); refuses to overwrite
 *   public-key &lt;file&gt; &lt;out&gt;  write the public keyset of signing keyset &lt;file&gt; to the new file &lt;out&gt;
 *                           (cleartext: it checks signatures and cannot make them; hand it to auditors)
 *   new-pseudonym &lt;file&gt;     new subject pseudonym keyset (one raw HMAC-SHA256 key; never rotate it)
 *   new-pii-hash &lt;file&gt;      new key of the PII hash action (one raw HMAC-SHA256 key)
 *   rotate &lt;file&gt;            add a key like the primary and make it primary (one server)
 *   add &lt;file&gt;               add a key like the primary, not primary (rolling rotation, step 1)
 *   promote &lt;file&gt; &lt;id&gt;      make key &lt;id&gt; primary (rolling rotation, step 2, once all servers have it)
 *   remove &lt;file&gt; &lt;id&gt;       remove key &lt;id&gt; (not the primary), after the re-wrap job moved everything off it
 *   info &lt;file&gt;              key ids, status, primary flag and parameters (and purpose, if encrypted)
 *   encrypt &lt;in&gt; &lt;out&gt; &lt;purpose&gt;  encrypt cleartext keyset &lt;in&gt; under the KEK for purpose
 *                           master, mac, signing, pseudonym or pii-hash, into the new file &lt;out&gt;
 *   rewrap &lt;file&gt;            re-encrypt an encrypted keyset under the new KEK (--new-kek-...), in place
 *
 * KEK options (the settings warden.audit.kek.*; the KEK of an encrypted &lt;file&gt;):
 *   --kek-keyset-file &lt;f&gt;            a Tink AEAD keyset file (KeysetTool new-aead)
 *   --kek-pkcs11-config &lt;f&gt;          a SunPKCS11 configuration file, or
 *   --kek-pkcs11-library &lt;lib.so&gt;    the token's PKCS#11 library, with
 *   --kek-pkcs11-slot &lt;id&gt; | --kek-pkcs11-slot-list-index &lt;n&gt;
 *   --kek-pkcs11-pin-env &lt;VAR&gt; | --kek-pkcs11-pin-file &lt;f&gt;   the user PIN
 *   --kek-pkcs11-key-label &lt;label&gt;   the AES key in the token
 *   --new-kek-...                      the same, for the KEK of rewrap
 * </pre>
 *
 * <p>With KEK options, the {@code new-*} commands write an encrypted keyset; {@code rotate}, {@code
 * add}, {@code promote} and {@code remove} keep an encrypted file encrypted under its KEK and for
 * its purpose (found by decrypting). Exit status: 0 done, 1 failed, 2 usage.
 */
public final class KeysetTool {
  private KeysetTool() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** A keyset read from a file: its handle, and the KEK and purpose if it was encrypted. */
  private record Loaded(KeysetHandle handle, Aead kek, KeysetPurpose purpose) {
    boolean encrypted() {
      return kek != null;
    }
  }

  /** Runs one command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> positional = new ArrayList<>();
    Map<String, String> kekOptions = new LinkedHashMap<>();
    Map<String, String> newKekOptions = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--kek-") || a.startsWith("--new-kek-")) {
        if (i + 1 >= args.length) {
          return usage(err);
        }
        boolean isNew = a.startsWith("--new-kek-");
        String name = a.substring(isNew ? 10 : 6);
        if (name.startsWith("pkcs11-")) {
          name = "pkcs11." + name.substring(7);
        }
        (isNew ? newKekOptions : kekOptions).put(KeyEncryptionKey.PREFIX + name, args[++i]);
      } else if (a.startsWith("--")) {
        return usage(err);
      } else {
        positional.add(a);
      }
    }
    if (positional.size() < 2) {
      return usage(err);
    }
    String command = positional.get(0);
    Path file = Path.of(positional.get(1));
    try {
      Optional<Aead> kek = kek(kekOptions);
      switch (command) {
        case "new-aead":
          return create(file, Keysets.generateAead(), KeysetPurpose.MASTER, kek, out);
        case "new-mac":
          return create(file, Keysets.generateMac(), KeysetPurpose.MAC, kek, out);
        case "new-signing":
          return create(file, Keysets.generateSigning(), KeysetPurpose.SIGNING, kek, out);
        case "public-key":
          {
            if (positional.size() < 3) {
              return usage(err);
            }
            Loaded k = read(file, kek);
            Path target = Path.of(positional.get(2));
            String json = Keysets.toPublicJson(k.handle());
            Files.writeString(target, json, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            out.println("public key of " + file + " written to " + target);
            return 0;
          }
        case "new-pseudonym":
          return create(file, Keysets.generatePseudonymKey(), KeysetPurpose.PSEUDONYM, kek, out);
        case "new-pii-hash":
          return create(file, Keysets.generatePseudonymKey(), KeysetPurpose.PII_HASH, kek, out);
        case "rotate":
          {
            Loaded k = read(file, kek);
            return replace(file, k, Keysets.rotate(k.handle()), out, "rotated keyset");
          }
        case "add":
          {
            Loaded k = read(file, kek);
            return replace(file, k, Keysets.addKey(k.handle(), false), out, "added a key to");
          }
        case "promote":
          {
            if (positional.size() < 3) {
              return usage(err);
            }
            Loaded k = read(file, kek);
            int id = Integer.parseUnsignedInt(positional.get(2));
            return replace(file, k, Keysets.promote(k.handle(), id), out, "promoted in");
          }
        case "remove":
          {
            if (positional.size() < 3) {
              return usage(err);
            }
            Loaded k = read(file, kek);
            int id = Integer.parseUnsignedInt(positional.get(2));
            return replace(file, k, Keysets.remove(k.handle(), id), out, "removed a key from");
          }
        case "info":
          {
            Loaded k = read(file, kek);
            if (k.encrypted()) {
              out.println("encrypted " + k.purpose().label() + " keyset " + file);
            }
            info(k.handle(), out);
            return 0;
          }
        case "encrypt":
          {
            if (positional.size() < 4) {
              return usage(err);
            }
            Aead key = kek.orElseThrow(() -> new IllegalArgumentException("encrypt needs a KEK"));
            KeysetHandle handle = Keysets.readFile(file);
            Path target = Path.of(positional.get(2));
            KeysetPurpose purpose = KeysetPurpose.of(positional.get(3));
            Keysets.writeFile(target, Keysets.toEncryptedJson(handle, key, purpose), false);
            out.println(
                "encrypted " + file + " into " + target + " as the " + purpose.label() + " keyset");
            info(handle, out);
            return 0;
          }
        case "rewrap":
          {
            Loaded k = read(file, kek);
            if (!k.encrypted()) {
              throw new IllegalArgumentException(file + " is not encrypted: use encrypt");
            }
            Aead newKek =
                kek(newKekOptions)
                    .orElseThrow(() -> new IllegalArgumentException("rewrap needs --new-kek-..."));
            Keysets.writeFile(file, Keysets.toEncryptedJson(k.handle(), newKek, k.purpose()), true);
            out.println(
                "re-encrypted the "
                    + k.purpose().label()
                    + " keyset "
                    + file
                    + " under the new KEK");
            info(k.handle(), out);
            return 0;
          }
        default:
          return usage(err);
      }
    } catch (IOException | RuntimeException e) {
      err.println("KeysetTool " + command + " failed: " + e.getMessage());
      return 1;
    }
  }

  private static Optional<Aead> kek(Map<String, String> options) {
    if (options.isEmpty()) {
      return Optional.empty();
    }
    return KeyEncryptionKey.fromSettings(
        new Settings(k -> Optional.ofNullable(options.get(k)), options.keySet()));
  }

  private static Loaded read(Path file, Optional<Aead> kek) throws IOException {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read keyset file " + file + ": " + e, e);
    }
    if (!Keysets.isEncryptedJson(json)) {
      if (kek.isPresent()) {
        throw new IllegalArgumentException(
            file + " is a cleartext keyset: encrypt it first (KeysetTool encrypt)");
      }
      return new Loaded(Keysets.parseJson(json, "keyset file " + file), null, null);
    }
    Aead key =
        kek.orElseThrow(
            () ->
                new IllegalArgumentException(
                    file + " is encrypted: give its key-encryption key (--kek-...)"));
    KeysetPurpose purpose = Keysets.purposeOf(json, key, "keyset file " + file);
    return new Loaded(
        Keysets.parseEncryptedJson(json, key, purpose, "keyset file " + file), key, purpose);
  }

  private static int create(
      Path file, KeysetHandle handle, KeysetPurpose purpose, Optional<Aead> kek, PrintStream out)
      throws IOException {
    if (kek.isPresent()) {
      Keysets.writeFile(file, Keysets.toEncryptedJson(handle, kek.get(), purpose), false);
      return done(file, handle, out, "new encrypted " + purpose.label() + " keyset");
    }
    Keysets.writeFile(file, handle, false);
    return done(file, handle, out, "new " + purpose.label() + " keyset");
  }

  private static int replace(
      Path file, Loaded loaded, KeysetHandle handle, PrintStream out, String what)
      throws IOException {
    if (loaded.encrypted()) {
      Keysets.writeFile(
          file, Keysets.toEncryptedJson(handle, loaded.kek(), loaded.purpose()), true);
    } else {
      Keysets.writeFile(file, handle, true);
    }
    return done(file, handle, out, what);
  }

  private static int done(Path file, KeysetHandle handle, PrintStream out, String what) {
    out.println(
        what
            + " "
            + file
            + " (primary key "
            + Integer.toUnsignedString(handle.getPrimary().getId())
            + ")");
    info(handle, out);
    return 0;
  }

  private static void info(KeysetHandle handle, PrintStream out) {
    for (int i = 0; i < handle.size(); i++) {
      KeysetHandle.Entry entry = handle.getAt(i);
      out.println(
          "  key "
              + Integer.toUnsignedString(entry.getId())
              + (entry.isPrimary() ? " primary" : "")
              + " "
              + entry.getStatus()
              + " "
              + entry.getKey().getParameters());
    }
  }

  private static int usage(PrintStream err) {
    err.println(
        "usage: KeysetTool new-aead|new-mac|new-signing|new-pseudonym|new-pii-hash|rotate|add|info"
            + " <file> [--kek-...]\n"
            + "       KeysetTool public-key <signing-keyset-file> <public-key-file> [--kek-...]\n"
            + "       KeysetTool promote|remove <file> <key-id> [--kek-...]\n"
            + "       KeysetTool encrypt <cleartext-file> <encrypted-file>"
            + " master|mac|signing|pseudonym|pii-hash --kek-...\n"
            + "       KeysetTool rewrap <file> --kek-... --new-kek-...\n"
            + "KEK options: --kek-keyset-file <f> | --kek-pkcs11-config <f> |"
            + " --kek-pkcs11-library <lib> (--kek-pkcs11-slot <id> | --kek-pkcs11-slot-list-index"
            + " <n>), --kek-pkcs11-pin-env <VAR> | --kek-pkcs11-pin-file <f>,"
            + " --kek-pkcs11-key-label <label>");
    return 2;
  }
}
