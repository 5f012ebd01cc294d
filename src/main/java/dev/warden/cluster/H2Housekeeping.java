package dev.warden.cluster;

import dev.warden.config.ConfigProducer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps the embedded H2 database's file from growing by every commit's chunk.
 *
 * <p>H2 writes a committed transaction to its file at once only with {@code WRITE_DELAY=0}, which
 * Warden's H2 URL sets so that a killed server loses no commit it answered for. That setting also
 * stops H2's background writer, and with it the housekeeping the writer runs between writes: moving
 * the few live pages out of mostly dead chunks so that the chunks can be freed and their space
 * reused. Without it every commit's chunk stays allocated for the live pages it holds, and the file
 * grows by tens of kilobytes per call without bound.
 *
 * <p>This bean runs that housekeeping every {@value #INTERVAL} (default 200 ms, about H2's own
 * cadence at its default write delay) on a thread of its own. H2 has no SQL command for it, so
 * Warden installs a function alias ({@value #ALIAS}) whose Java method H2 calls with its own
 * connection; the method reaches the store through it and runs H2's housekeeping routine. A chunk
 * is freed only after H2's retention time (45 s) has passed and no reader uses it, as with the
 * background writer. Under sustained load the file still grows, several times more slowly
 * (docs/benchmarks.md). Commits stay synchronous: nothing about when a commit is durable changes.
 *
 * <p>On any other database, with the interval {@code PT0S}, or when this H2 cannot be kept (a user
 * without the right to create an alias, a version whose store differs) it does nothing after one
 * warning. The alias is dropped when the application stops, so no class of a stopped application
 * stays referenced by the database.
 */
@ApplicationScoped
public class H2Housekeeping {
  private static final Logger LOG = Logger.getLogger(H2Housekeeping.class.getName());

  /** How often the H2 store's housekeeping runs; {@code PT0S} turns it off. */
  public static final String INTERVAL = "warden.cluster.h2-housekeeping";

  /** The function alias through which H2 hands its own connection to {@link #housekeep}. */
  static final String ALIAS = "warden_h2_housekeeping";

  @Resource(lookup = SharedDatabase.DATA_SOURCE)
  DataSource dataSource;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private OwnTimer timer;
  private final AtomicLong passes = new AtomicLong();
  private volatile boolean failing;

  /** After the migrations: on H2, installs the alias, runs one pass and then one per interval. */
  void onStart(
      @Observes
          @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
          @Initialized(ApplicationScoped.class)
          Object started) {
    Duration every = ConfigProducer.settings().duration(INTERVAL, Duration.ofMillis(200));
    if (every.isZero() || every.isNegative()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      if (!SharedDatabase.isH2(c)) {
        return;
      }
      install(c);
      runOnce(c);
    } catch (SQLException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "WARDEN0855W: the embedded H2 database's housekeeping cannot run ({0}); its file grows"
              + " with every call. Use PostgreSQL under sustained load, or give the data source's"
              + " user the right to create an alias",
          String.valueOf(e.getMessage()));
      return;
    }
    LOG.log(Level.FINE, "WARDEN0856I: H2 store housekeeping every {0}", every);
    timer = OwnTimer.every(every, this::tick, threads);
  }

  /** Stops the passes and drops the alias, which names a class of this application. */
  @PreDestroy
  void stop() {
    if (timer == null) {
      return;
    }
    timer.stop();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("drop alias if exists " + ALIAS);
    } catch (SQLException | RuntimeException e) {
      // the database may be closed already (H2 closes itself when the JVM exits); the next start
      // replaces the alias
    }
  }

  /** How many passes have run since the start. */
  public long passes() {
    return passes.get();
  }

  private void tick() {
    try (Connection c = dataSource.getConnection()) {
      runOnce(c);
      if (failing) {
        failing = false;
        LOG.info("WARDEN0858I: the H2 store's housekeeping runs again");
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.log(
            Level.WARNING,
            "WARDEN0857W: a pass of the H2 store's housekeeping failed ({0}); it is tried again"
                + " every interval",
            String.valueOf(e.getMessage()));
      }
    }
  }

  /** Creates the alias afresh, so that it names this application's class. */
  static void install(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("drop alias if exists " + ALIAS);
      s.execute(
          "create alias " + ALIAS + " for '" + H2Housekeeping.class.getName() + ".housekeep'");
    }
  }

  /** One pass, through the alias. */
  void runOnce(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("call " + ALIAS + "()");
    }
    passes.incrementAndGet();
  }

  /**
   * The alias's method: H2 calls it with its own connection (the first parameter of an alias's
   * method, when it is a {@link Connection}). Reaches the store through H2's public classes and
   * runs the housekeeping of its background writer once. By reflection, so that this class needs no
   * H2 class to load (the driver belongs to the server, and an application may not see it).
   *
   * @return whether the database has a file store to keep (an in-memory database has none)
   * @throws SQLException if this H2's store cannot be reached or its housekeeping failed
   */
  public static boolean housekeep(Connection h2) throws SQLException {
    try {
      Object session = call(h2, "getSession");
      Object database = call(session, "getDatabase");
      Object store = call(database, "getStore");
      Object mvStore = store == null ? null : call(store, "getMvStore");
      Object fileStore = mvStore == null ? null : call(mvStore, "getFileStore");
      if (fileStore == null) {
        return false;
      }
      Method housekeeping = declared(fileStore.getClass(), "doHousekeeping", mvStore.getClass());
      housekeeping.setAccessible(true);
      housekeeping.invoke(fileStore, mvStore);
      return true;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new SQLException("the H2 store's housekeeping failed: " + cause, cause);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new SQLException("this H2 version's store cannot be reached: " + e, e);
    }
  }

  private static Object call(Object target, String method) throws ReflectiveOperationException {
    return target.getClass().getMethod(method).invoke(target);
  }

  /** The method {@code name} declared by {@code type} or a superclass of it. */
  private static Method declared(Class<?> type, String name, Class<?> parameter)
      throws NoSuchMethodException {
    for (Class<?> t = type; t != null; t = t.getSuperclass()) {
      for (Method m : t.getDeclaredMethods()) {
        if (m.getName().equals(name)
            && m.getParameterCount() == 1
            && m.getParameterTypes()[0].isAssignableFrom(parameter)) {
          return m;
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }
}
