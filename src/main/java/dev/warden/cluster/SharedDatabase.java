package dev.warden.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import javax.sql.DataSource;

/** Which database Warden's data source ({@code jdbc/warden}) is, from its JDBC metadata. */
public final class SharedDatabase {

  /** The JNDI name of Warden's data source. */
  public static final String DATA_SOURCE = "jdbc/warden";

  private SharedDatabase() {}

  /** The database's clock (every server on the database reads the same one). */
  static Instant now(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_timestamp")) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }

  /**
   * Whether {@code dataSource} is PostgreSQL (the database several servers share; H2 is embedded in
   * one server).
   *
   * @throws IllegalStateException if no connection can be had to ask
   */
  public static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return product(c).contains("postgres");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot reach the database " + DATA_SOURCE + " to learn its kind: " + e.getMessage(), e);
    }
  }

  /** Whether {@code c} is to the embedded H2 database. */
  static boolean isH2(Connection c) throws SQLException {
    return product(c).equals("h2");
  }

  /** The database's product name, in lower case. */
  private static String product(Connection c) throws SQLException {
    return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
  }
}
