package dev.warden.it;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own: a fresh cluster ({@code initdb}) in a temporary directory,
 * on its own port and socket directory, run with the machine's PostgreSQL binaries ({@code
 * /usr/lib/postgresql/<version>/bin}, the Debian {@code postgresql} package). It is there so a test
 * can really restart the database under load, {@link #crash} (an immediate shutdown: no checkpoint,
 * crash recovery on the next {@link #start}) or {@link #stop} it, without touching the machine's
 * shared PostgreSQL, which other tests use. {@link #close} stops the server and deletes the
 * directory.
 *
 * <p>{@code initdb} and {@code postgres} refuse to run as root: when the JVM runs as root, every
 * PostgreSQL command runs as the {@code postgres} user ({@code runuser}), in a directory it owns.
 */
final class PrivatePostgres implements AutoCloseable {

  private static final Path DEBIAN_LIB = Path.of("/usr/lib/postgresql");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
  private static final int START_WAIT_SECONDS = 60;

  /** Paths that need no quoting in the options {@code pg_ctl} hands to a shell. */
  private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9/._-]+");

  /** Keeps {@code <dir>/sock/.s.PGSQL.<port>} within the 107 bytes of a Unix socket path. */
  private static final int MAX_PARENT_LENGTH = 60;

  private final Path bin;
  private final boolean asRoot;
  private final int port;
  private final Path dir;
  private final Path data;
  private final Path socketDir;
  private final Path serverLog;
  private final Thread shutdownHook;
  private boolean closed;

  private PrivatePostgres(Path bin, boolean asRoot, int port, Path dir) {
    this.bin = bin;
    this.asRoot = asRoot;
    this.port = port;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.socketDir = dir.resolve("sock");
    this.serverLog = dir.resolve("server.log");
    this.shutdownHook = new Thread(this::onShutdown, "PrivatePostgres-" + port);
  }

  /**
   * Creates a cluster in a new directory under {@code parent} (under {@code /tmp} instead when the
   * {@code postgres} user could not reach {@code parent}, or its path is long or needs quoting) and
   * starts it on {@code 127.0.0.1:port}: superuser {@code postgres}, no password (trust).
   */
  static PrivatePostgres start(Path parent, int port) throws IOException {
    Path bin = binaries();
    boolean asRoot = new UnixSystem().getUid() == 0;
    Path dir = Files.createTempDirectory(base(parent, asRoot), "pg");
    PrivatePostgres pg = new PrivatePostgres(bin, asRoot, port, dir);
    Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
    try {
      Files.createDirectory(pg.socketDir);
      if (asRoot) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        pg.check(List.of("chown", "-R", "postgres:postgres", dir.toString()));
      }
      pg.check(
          pg.postgres(
              "initdb",
              "-D",
              pg.data.toString(),
              "-U",
              "postgres",
              "-A",
              "trust",
              "-E",
              "UTF8",
              "--locale=C",
              "--no-sync",
              "--no-instructions"));
      pg.start();
      return pg;
    } catch (IOException | RuntimeException e) {
      try {
        pg.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Starts the stopped or crashed server, returning once it accepts connections. */
  synchronized void start() {
    if (running()) {
      throw new IllegalStateException("PostgreSQL on port " + port + " is already running");
    }
    String options =
        String.join(
            " ",
            "-p",
            Integer.toString(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-k",
            socketDir.toString(),
            "-c",
            "fsync=on",
            "-c",
            "max_connections=100");
    List<String> command =
        postgres(
            "pg_ctl",
            "-D",
            data.toString(),
            "-l",
            serverLog.toString(),
            "-w",
            "-t",
            Integer.toString(START_WAIT_SECONDS),
            "-o",
            options,
            "start");
    Result r = run(command);
    if (r.exit() != 0) {
      terminate(); // pg_ctl gave up waiting: the server may still come up
      throw new IllegalStateException(
          r.describe(command) + "\n--- " + serverLog + " (tail) ---\n" + tail(serverLog));
    }
  }

  /** A crash: an immediate shutdown, without a checkpoint; the next start runs crash recovery. */
  synchronized void crash() {
    check(postgres("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"));
  }

  /** A clean (fast) shutdown: open transactions are rolled back, a checkpoint is written. */
  synchronized void stop() {
    check(postgres("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop"));
  }

  /** Whether the server is running ({@code pg_ctl status}). */
  synchronized boolean running() {
    return Files.isDirectory(data)
        && run(postgres("pg_ctl", "-D", data.toString(), "status")).exit() == 0;
  }

  /** Creates database {@code name}, owned by {@code postgres}. */
  void createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
    }
  }

  int port() {
    return port;
  }

  /** The URL of {@code database} over TCP; user {@code postgres}, any password. */
  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The server's log, kept across restarts until {@link #close}. */
  Path serverLog() {
    return serverLog;
  }

  /** Stops the server (if it runs), makes sure no process of it is left and deletes its files. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Result r = run(postgres("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop"));
      if (r.exit() != 0 && running()) {
        terminate();
      }
    } catch (RuntimeException e) {
      terminate();
    } finally {
      killLeftover();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs (or ran) anyway
      }
      deleteTree(dir);
    }
  }

  /**
   * The JVM ends without {@link #close}: no server may outlive it. Not synchronized: no waiting.
   */
  private void onShutdown() {
    terminate();
    try {
      deleteTree(dir);
    } catch (RuntimeException e) {
      // best effort
    }
  }

  /** Ends the server without waiting for anyone: an immediate stop, then SIGKILL if need be. */
  private void terminate() {
    try {
      run(postgres("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    } catch (RuntimeException e) {
      // fall through to the kill
    }
    killLeftover();
  }

  /** SIGKILLs the postmaster of {@code postmaster.pid}, if it is still there, and its children. */
  private void killLeftover() {
    Path pidFile = data.resolve("postmaster.pid");
    long pid;
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return;
    }
    Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
    if (postmaster.isPresent()
        && postmaster.get().info().command().orElse("").endsWith("/postgres")) {
      ProcessHandle p = postmaster.get();
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> p).join();
    }
  }

  /** A PostgreSQL program with its arguments, as the {@code postgres} user when we are root. */
  private List<String> postgres(String program, String... args) {
    List<String> command = new ArrayList<>();
    if (asRoot) {
      command.addAll(List.of(runuser(), "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    return command;
  }

  private void check(List<String> command) {
    Result r = run(command);
    if (r.exit() != 0) {
      throw new IllegalStateException(r.describe(command));
    }
  }

  private record Result(int exit, String output) {
    String describe(List<String> command) {
      return String.join(" ", command) + " exited with " + exit + ":\n" + output;
    }
  }

  /**
   * Runs {@code command} in the cluster's directory and waits at most {@link #COMMAND_TIMEOUT}. Its
   * output goes to a file, not a pipe, so a server it starts cannot keep us waiting.
   */
  private Result run(List<String> command) {
    Path out = null;
    try {
      out = Files.createTempFile(dir, "command", ".out");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
      Process p = pb.start();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command)
                + " did not finish within "
                + COMMAND_TIMEOUT
                + ":\n"
                + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // deleted with the directory
        }
      }
    }
  }

  /** The highest-versioned {@code /usr/lib/postgresql/<version>/bin} with the server programs. */
  static Path binaries() {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(DEBIAN_LIB)) {
      try (Stream<Path> versions = Files.list(DEBIAN_LIB)) {
        versions
            .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)*"))
            .map(v -> v.resolve("bin"))
            .filter(
                b ->
                    Stream.of("initdb", "pg_ctl", "postgres")
                        .allMatch(p -> Files.isExecutable(b.resolve(p))))
            .forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found.stream()
        .max(
            Comparator.comparing(
                b -> Runtime.Version.parse(b.getParent().getFileName().toString())))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No PostgreSQL server binaries (initdb, pg_ctl, postgres) in "
                        + DEBIAN_LIB
                        + "/<version>/bin: install the Debian package 'postgresql'"));
  }

  /** Where to make the cluster's directory: {@code parent} if usable, else {@code /tmp}. */
  private static Path base(Path parent, boolean asRoot) throws IOException {
    Path p = Files.createDirectories(parent).toAbsolutePath().normalize();
    String s = p.toString();
    boolean usable =
        PLAIN_PATH.matcher(s).matches()
            && s.length() <= MAX_PARENT_LENGTH
            && (!asRoot || traversableByAll(p));
    return usable ? p : Path.of("/tmp");
  }

  private static boolean traversableByAll(Path p) throws IOException {
    for (Path d = p; d != null; d = d.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        return false;
      }
    }
    return true;
  }

  private static String runuser() {
    for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return "runuser";
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(" + file + ": " + e + ")";
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + root, e);
    }
  }
}
