package dev.warden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link H2Housekeeping} on a file database written as Warden's is ({@code WRITE_DELAY=0}: every
 * commit written at once, and no background writer), with the H2 version the build pins.
 */
class H2HousekeepingTest {

  @TempDir Path dir;

  /**
   * A table of many rows (written in one transaction), then single-row commits to random rows, as
   * the audit log's indexes on random keys see them: each commit writes a chunk, and a chunk keeps
   * the leaf pages it wrote until those rows are written again, so almost no chunk dies. H2's
   * retention time is set to 0 here so that a chunk may be freed at once (the server keeps 45 s).
   */
  private Connection fragmented(int rows, int commits) throws SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(
        "jdbc:h2:"
            + dir.resolve("warden")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;RETENTION_TIME=0");
    ds.setUser("sa");
    Connection c = ds.getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("create table t (id int primary key, a varchar(40), body varchar(2000))");
      s.execute("create index t_a on t (a)");
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("insert into t values (?, ?, ?)")) {
        for (int i = 0; i < rows; i++) {
          insert.setInt(1, i);
          insert.setString(2, UUID.randomUUID().toString());
          insert.setString(3, "x".repeat(500));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      Random random = new Random(7);
      try (PreparedStatement update =
          c.prepareStatement("update t set a = ?, body = ? where id = ?")) {
        for (int i = 0; i < commits; i++) {
          update.setString(1, UUID.randomUUID().toString());
          update.setString(2, "y".repeat(500));
          update.setInt(3, random.nextInt(rows));
          update.executeUpdate();
        }
      }
    }
    return c;
  }

  private static long info(Connection c, String name) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select setting_value from information_schema.settings where setting_name = ?")) {
      q.setString(1, "info." + name);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).as(name).isTrue();
        return Long.parseLong(rs.getString(1));
      }
    }
  }

  /** One small commit, at which H2 frees the chunks that have become unused. */
  private static void commitOne(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("update t set body = 'z' where id = 0");
    }
  }

  @Test
  void housekeepingThroughTheAliasFreesTheChunksThatCommitsLeftMostlyDead() throws SQLException {
    H2Housekeeping housekeeping = new H2Housekeeping();
    try (Connection c = fragmented(20_000, 2_000)) {
      assertThat(SharedDatabase.isH2(c)).isTrue();
      long chunksBefore = info(c, "CHUNK_COUNT");
      long fillBefore = info(c, "CHUNKS_FILL_RATE");

      H2Housekeeping.install(c);
      for (int pass = 0; pass < 20; pass++) {
        housekeeping.runOnce(c);
        commitOne(c);
      }
      assertThat(housekeeping.passes()).isEqualTo(20);
      assertThat(info(c, "CHUNK_COUNT")).isLessThan(chunksBefore / 4);
      assertThat(info(c, "CHUNKS_FILL_RATE")).isGreaterThan(fillBefore * 2);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from t")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(20_000);
      }
    }
  }

  @Test
  void withoutItTheSameCommitsKeepTheirChunks() throws SQLException {
    try (Connection c = fragmented(20_000, 2_000)) {
      long chunksBefore = info(c, "CHUNK_COUNT");
      for (int pass = 0; pass < 20; pass++) {
        commitOne(c);
      }
      assertThat(info(c, "CHUNK_COUNT")).isGreaterThan(chunksBefore * 9 / 10);
    }
  }

  private static Connection inMemory() throws SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:housekeeping_" + UUID.randomUUID().toString().replace("-", ""));
    ds.setUser("sa");
    return ds.getConnection();
  }

  @Test
  void anInMemoryDatabaseHasNoFileToKeep() throws SQLException {
    try (Connection c = inMemory()) {
      H2Housekeeping.install(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("call " + H2Housekeeping.ALIAS + "()")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isFalse();
      }
    }
  }

  @Test
  void aConnectionThatIsNotH2sOwnIsRefusedWithAClearError() throws SQLException {
    try (Connection h2 = inMemory()) {
      Connection wrapper =
          (Connection)
              java.lang.reflect.Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (proxy, method, args) -> method.invoke(h2, args));
      assertThatThrownBy(() -> H2Housekeeping.housekeep(wrapper))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("this H2 version's store cannot be reached");
    }
  }
}
