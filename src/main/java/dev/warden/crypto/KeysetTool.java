package dev.warden.crypto;

import com.google.crypto.tink.KeysetHandle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Command line for operators and the development quick start. Keyset files are cleartext Tink JSON
 * written readable by the owner only; the tool never prints key material.
 *
 * <pre>
 * java -cp warden-classes:tink.jar:... dev.warden.crypto.KeysetTool &lt;command&gt; &lt;file&gt; [key-id]
 *   new-aead &lt;file&gt;        new master keyset (one AES256-GCM key); refuses to overwrite
 *   new-mac &lt;file&gt;         new checkpoint MAC keyset (one HMAC-SHA256 key); refuses to overwrite
 *   new-pseudonym &lt;file&gt;   new subject pseudonym keyset (one raw HMAC-SHA256 key; never rotate it)
 *   rotate &lt;file&gt;          add a key like the primary and make it primary (one server)
 *   add &lt;file&gt;             add a key like the primary, not primary (rolling rotation, step 1)
 *   promote &lt;file&gt; &lt;id&gt;    make key &lt;id&gt; primary (rolling rotation, step 2, once all servers have it)
 *   remove &lt;file&gt; &lt;id&gt;     remove key &lt;id&gt; (not the primary), after the re-wrap job moved everything off it
 *   info &lt;file&gt;            key ids, status, primary flag and parameters
 * </pre>
 *
 * <p>Exit status: 0 done, 1 failed, 2 usage.
 */
public final class KeysetTool {
  private KeysetTool() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs one command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      return usage(err);
    }
    String command = args[0];
    Path file = Path.of(args[1]);
    try {
      switch (command) {
        case "new-aead":
          return write(file, Keysets.generateAead(), false, out, "new AEAD keyset");
        case "new-mac":
          return write(file, Keysets.generateMac(), false, out, "new MAC keyset");
        case "new-pseudonym":
          return write(file, Keysets.generatePseudonymKey(), false, out, "new pseudonym keyset");
        case "rotate":
          return write(file, Keysets.rotate(Keysets.readFile(file)), true, out, "rotated keyset");
        case "add":
          return write(
              file, Keysets.addKey(Keysets.readFile(file), false), true, out, "added a key to");
        case "promote":
          if (args.length < 3) {
            return usage(err);
          }
          int id = Integer.parseUnsignedInt(args[2]);
          return write(file, Keysets.promote(Keysets.readFile(file), id), true, out, "promoted in");
        case "remove":
          if (args.length < 3) {
            return usage(err);
          }
          return write(
              file,
              Keysets.remove(Keysets.readFile(file), Integer.parseUnsignedInt(args[2])),
              true,
              out,
              "removed a key from");
        case "info":
          info(Keysets.readFile(file), out);
          return 0;
        default:
          return usage(err);
      }
    } catch (IOException | RuntimeException e) {
      err.println("KeysetTool " + command + " failed: " + e.getMessage());
      return 1;
    }
  }

  private static int write(
      Path file, KeysetHandle handle, boolean replace, PrintStream out, String what)
      throws IOException {
    Keysets.writeFile(file, handle, replace);
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
        "usage: KeysetTool new-aead|new-mac|new-pseudonym|rotate|add|info <file>\n"
            + "       KeysetTool promote|remove <file> <key-id>");
    return 2;
  }
}
