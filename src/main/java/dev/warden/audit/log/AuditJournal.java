package dev.warden.audit.log;

import dev.warden.config.ConfigProducer;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The audit journal: the records (with their companion rows: usage entry, budget settlement) that
 * could not reach the database within the retry window, kept on this server's disk until it
 * returns. Each batch is one file, written whole, forced to the disk and then renamed into place,
 * so a file either holds a whole batch or does not exist; the directory is forced too. Replaying
 * appends the batches oldest first, each in one transaction that skips a record already in the
 * chain ({@link ChainAppender#appendAllOnce}), and deletes a file only after its transaction
 * committed.
 *
 * <p>The files hold what the database would: the records' content is encrypted already, so the
 * journal holds no prompt or answer in clear text. They are Java-serialised with a filter that
 * admits only Warden's and the JDK's value classes. The directory ({@value #DIR}, default {@code
 * audit-journal} under the server's directory) must survive a restart of the server: on Kubernetes,
 * a persistent volume.
 */
final class AuditJournal {

  /** Where the journal's files are. */
  static final String DIR = "warden.audit.journal.dir";

  private static final String SUFFIX = ".journal";

  private static final ObjectInputFilter FILTER =
      ObjectInputFilter.Config.createFilter(
          "maxdepth=20;maxrefs=100000;dev.warden.**;java.lang.*;java.util.*;java.time.*;"
              + "java.math.*;!*");

  /** One kept record and its companion rows. */
  record Kept(AuditRecord record, List<Object> companions) implements Serializable {
    private static final long serialVersionUID = 1L;

    Kept {
      companions = new ArrayList<>(companions);
    }
  }

  /** A batch read back from the journal. */
  record Batch(Path file, List<GroupCommit.Entry> entries) {}

  private final Path dir;

  AuditJournal(Path dir) {
    this.dir = dir;
  }

  /** The journal of this server's configuration. */
  static AuditJournal configured() {
    return new AuditJournal(Path.of(ConfigProducer.settings().string(DIR, "audit-journal")));
  }

  /**
   * Keeps {@code entries} as one batch, durably, before returning.
   *
   * @throws IOException if it could not be written (nothing is then kept)
   */
  synchronized void keep(List<GroupCommit.Entry> entries) throws IOException {
    Files.createDirectories(dir);
    List<Kept> kept = new ArrayList<>(entries.size());
    for (GroupCommit.Entry e : entries) {
      kept.add(new Kept(e.record(), e.companions()));
    }
    String name = String.format("%020d-%s", System.currentTimeMillis(), UUID.randomUUID());
    Path partial = dir.resolve(name + ".partial");
    try {
      try (FileChannel ch =
              FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(ch);
          ObjectOutputStream objects = new ObjectOutputStream(out)) {
        objects.writeObject(new ArrayList<>(kept));
        objects.flush();
        ch.force(true);
      }
      Files.move(partial, dir.resolve(name + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException notOnThisFileSystem) {
      // some file systems cannot force a directory; the rename is then as durable as they make it
    }
  }

  /** The files waiting, oldest first. */
  List<Path> waiting() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  /** Reads one batch back, with each record's canonical content computed again. */
  Batch read(Path file) throws IOException {
    List<?> kept;
    try (InputStream in = Files.newInputStream(file);
        ObjectInputStream objects = new ObjectInputStream(in)) {
      objects.setObjectInputFilter(FILTER);
      kept = (List<?>) objects.readObject();
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new IOException("the journal file " + file.getFileName() + " cannot be read", e);
    }
    List<GroupCommit.Entry> entries = new ArrayList<>(kept.size());
    for (Object o : kept) {
      Kept k = (Kept) o;
      entries.add(
          new GroupCommit.Entry(k.record(), AuditRecords.canonical(k.record()), k.companions()));
    }
    return new Batch(file, entries);
  }

  /** Removes a batch once it is in the database. */
  void done(Batch batch) throws IOException {
    Files.deleteIfExists(batch.file());
  }
}
