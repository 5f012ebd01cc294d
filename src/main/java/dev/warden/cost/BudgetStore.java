package dev.warden.cost;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The budget rows ({@code cost_budget}, one per budget and period) in plain JDBC on a connection
 * whose transaction the caller owns. Every change is one conditional {@code UPDATE}, so it is
 * atomic in the database: whatever the number of Warden servers sharing it, a reservation only
 * succeeds while {@code spent + reserved + amount <= limit} holds, under the row lock the update
 * takes.
 */
public final class BudgetStore {

  /** A budget row as stored. */
  public record Row(
      String id,
      String scope,
      String subject,
      String period,
      LocalDate periodStart,
      BigDecimal spent,
      BigDecimal reserved,
      BigDecimal alerted) {}

  private BudgetStore() {}

  /** Creates the row of a budget period if it does not exist yet (never fails on a race). */
  public static void ensure(
      Connection c, String id, String scope, String subject, String period, LocalDate start)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into cost_budget (id, scope, subject, period, period_start, spent, reserved,"
                + " alerted, updated_at) values (?, ?, ?, ?, ?, 0, 0, 0, ?) on conflict do"
                + " nothing")) {
      ps.setString(1, id);
      ps.setString(2, scope);
      ps.setString(3, subject);
      ps.setString(4, period);
      ps.setDate(5, Date.valueOf(start));
      ps.setTimestamp(6, Timestamp.from(Instant.now()));
      ps.executeUpdate();
    }
  }

  /**
   * Reserves {@code amount} on row {@code id} if it still fits under {@code limit}; returns whether
   * it did. Atomic: one conditional update.
   */
  public static boolean reserve(Connection c, String id, BigDecimal amount, BigDecimal limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update cost_budget set reserved = reserved + ?, updated_at = ? where id = ? and"
                + " spent + reserved + ? <= ?")) {
      ps.setBigDecimal(1, amount);
      ps.setTimestamp(2, Timestamp.from(Instant.now()));
      ps.setString(3, id);
      ps.setBigDecimal(4, amount);
      ps.setBigDecimal(5, limit);
      return ps.executeUpdate() == 1;
    }
  }

  /** A reservation a server held for a call in flight ({@code cost_budget_hold}). */
  public record HeldAmount(String id, String budgetId, BigDecimal amount) {}

  /** Records that server {@code owner} holds {@code amount} on row {@code budgetId} for a call. */
  public static void insertHold(
      Connection c, String id, String owner, String budgetId, BigDecimal amount, String requestId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into cost_budget_hold (id, owner, budget_id, amount, request_id) values (?, ?,"
                + " ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, owner);
      ps.setString(3, budgetId);
      ps.setBigDecimal(4, amount);
      ps.setString(5, requestId);
      ps.executeUpdate();
    }
  }

  /** The holds of call {@code requestId} still held: their ids, budget rows and amounts. */
  public static List<HeldAmount> holdsOfCall(Connection c, String requestId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, budget_id, amount from cost_budget_hold where request_id = ? order by"
                + " budget_id")) {
      ps.setString(1, requestId);
      return held(ps);
    }
  }

  /** Deletes a hold; whether it was there (a recovery may have released it already). */
  public static boolean deleteHold(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("delete from cost_budget_hold where id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() == 1;
    }
  }

  /** The holds {@code owner} made before {@code before}, locked until the transaction ends. */
  public static List<HeldAmount> holdsOf(Connection c, String owner, Instant before)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, budget_id, amount from cost_budget_hold where owner = ? and created_at < ?"
                + " order by budget_id, id for update")) {
      ps.setString(1, owner);
      ps.setTimestamp(2, Timestamp.from(before));
      return held(ps);
    }
  }

  /** The holds {@code select id, budget_id, amount} finds. */
  private static List<HeldAmount> held(PreparedStatement select) throws SQLException {
    List<HeldAmount> held = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        held.add(new HeldAmount(rs.getString(1), rs.getString(2), rs.getBigDecimal(3)));
      }
    }
    return held;
  }

  /** Moves {@code reserved} out of the reservations and adds {@code actual} to the spend. */
  public static void settle(Connection c, String id, BigDecimal reserved, BigDecimal actual)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update cost_budget set reserved = reserved - ?, spent = spent + ?, updated_at = ?"
                + " where id = ?")) {
      ps.setBigDecimal(1, reserved);
      ps.setBigDecimal(2, actual);
      ps.setTimestamp(3, Timestamp.from(Instant.now()));
      ps.setString(4, id);
      ps.executeUpdate();
    }
  }

  /**
   * Records that alert {@code level} was raised on row {@code id}; returns true only for the one
   * caller (on any server) that raised it first.
   */
  public static boolean raiseAlert(Connection c, String id, BigDecimal level) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("update cost_budget set alerted = ? where id = ? and alerted < ?")) {
      ps.setBigDecimal(1, level);
      ps.setString(2, id);
      ps.setBigDecimal(3, level);
      return ps.executeUpdate() == 1;
    }
  }

  public static Optional<Row> read(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " where id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** The rows of periods that include {@code day}, ordered by id. */
  public static List<Row> current(Connection c, LocalDate day) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            SELECT
                + " where (period = 'daily' and period_start = ?) or (period = 'monthly' and"
                + " period_start = ?) order by id")) {
      ps.setDate(1, Date.valueOf(day));
      ps.setDate(2, Date.valueOf(day.withDayOfMonth(1)));
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
      return rows;
    }
  }

  private static final String SELECT =
      "select id, scope, subject, period, period_start, spent, reserved, alerted from cost_budget";

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getDate(5).toLocalDate(),
        rs.getBigDecimal(6),
        rs.getBigDecimal(7),
        rs.getBigDecimal(8));
  }
}
