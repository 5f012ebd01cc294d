package dev.warden.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** Which database Warden's data source ({@code jdbc/warden}) is, from its JDBC metadata. */
public final class SharedDatabase {

  /** The JNDI name of Warden's data source. */
  public static final String DATA_SOURCE = "jdbc/warden";

  private SharedDatabase() {}

  /**
   * Whether {@code dataSource} is PostgreSQL (the database several servers share; H2 is embedded in
   * one server).
   *
   * @throws IllegalStateException if no connection can be had to ask
   */
  public static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot reach the database " + DATA_SOURCE + " to learn its kind: " + e.getMessage(), e);
    }
  }
}
