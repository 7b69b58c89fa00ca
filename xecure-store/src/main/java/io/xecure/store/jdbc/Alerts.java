package io.xecure.store.jdbc;

import io.xecure.model.Alert;
import io.xecure.model.AlertType;
import io.xecure.store.AlertStore.Acknowledged;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** SQL of {@code alerts}: one open row per (type, subject), kept unique by {@code open_key}. */
final class Alerts {
  private static final String COLUMNS =
      "id, type, subject, detail, first_seen, last_seen, count, status, acked_at, acked_by";
  private static final String OPEN = "open";
  private static final String ACKNOWLEDGED = "acknowledged";

  private Alerts() {}

  static String openKey(AlertType type, String subject) {
    return type.wire() + ' ' + subject;
  }

  /** Counts one occurrence into the open alert of {@code openKey}; false when there is none. */
  static boolean countIntoOpen(Connection c, String openKey, String detail, Instant at)
      throws SQLException {
    String sql =
        "UPDATE alerts SET count = count + 1, last_seen = ?, detail = ? WHERE open_key = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, at);
      ps.setString(2, detail);
      ps.setString(3, openKey);
      return ps.executeUpdate() == 1;
    }
  }

  static void insertOpen(
      Connection c, String id, AlertType type, String subject, String detail, Instant at)
      throws SQLException {
    String sql =
        "INSERT INTO alerts ("
            + COLUMNS
            + ", open_key) VALUES (?, ?, ?, ?, ?, ?, 1, '"
            + OPEN
            + "', NULL, NULL, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id);
      ps.setString(2, type.wire());
      ps.setString(3, subject);
      ps.setString(4, detail);
      Columns.setTime(ps, 5, at);
      Columns.setTime(ps, 6, at);
      ps.setString(7, openKey(type, subject));
      ps.executeUpdate();
    }
  }

  static Optional<Alert> byOpenKey(Connection c, String openKey) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM alerts WHERE open_key = ?", openKey);
  }

  static Optional<Alert> byId(Connection c, String id) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM alerts WHERE id = ?", id);
  }

  static Optional<Acknowledged> acknowledge(Connection c, String id, String actor, Instant at)
      throws SQLException {
    String sql =
        "UPDATE alerts SET status = '"
            + ACKNOWLEDGED
            + "', acked_at = ?, acked_by = ?, open_key = NULL WHERE id = ? AND status = '"
            + OPEN
            + "'";
    boolean changed;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, at);
      ps.setString(2, actor);
      ps.setString(3, id);
      changed = ps.executeUpdate() == 1;
    }
    return byId(c, id).map(a -> new Acknowledged(a, changed));
  }

  /** Newest first: {@code limit + 1} rows, for {@link Columns#page}. */
  static List<Alert> before(
      Connection c,
      Alert.@Nullable Status status,
      @Nullable AlertType type,
      @Nullable String cursor,
      int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM alerts");
    List<String> args = new ArrayList<>();
    String glue = " WHERE ";
    if (status != null) {
      sql.append(glue).append("status = ?");
      args.add(status.wire());
      glue = " AND ";
    }
    if (type != null) {
      sql.append(glue).append("type = ?");
      args.add(type.wire());
      glue = " AND ";
    }
    if (cursor != null) {
      sql.append(glue).append("id < ?");
      args.add(cursor);
    }
    sql.append(" ORDER BY id DESC FETCH FIRST ? ROWS ONLY");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      ps.setInt(args.size() + 1, limit + 1);
      try (ResultSet rs = ps.executeQuery()) {
        List<Alert> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs));
        }
        return out;
      }
    }
  }

  private static Optional<Alert> one(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static Alert read(ResultSet rs) throws SQLException {
    String typeName = Columns.required(rs, "type");
    AlertType type = AlertType.of(typeName);
    Alert.Status status = Alert.Status.of(Columns.required(rs, "status"));
    if (type == null || status == null) {
      // written by a newer version: fail as the store failing rather than show a wrong type
      throw new SQLException("alert of unknown type or status", "XX000");
    }
    return new Alert(
        Columns.required(rs, "id"),
        type,
        Columns.required(rs, "subject"),
        Columns.required(rs, "detail"),
        Columns.requiredTime(rs, "first_seen"),
        Columns.requiredTime(rs, "last_seen"),
        rs.getLong("count"),
        status,
        Columns.time(rs, "acked_at"),
        rs.getString("acked_by"));
  }
}
