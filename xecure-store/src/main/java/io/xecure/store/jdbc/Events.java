package io.xecure.store.jdbc;

import io.xecure.events.RequestEvent;
import io.xecure.store.AdminEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL of {@code admin_events} and {@code request_events}. Newest first is by time, then by the
 * insertion sequence for events of the same microsecond.
 */
final class Events {
  private static final String ADMIN_COLUMNS = "occurred_at, actor, action, target, detail";
  private static final String REQUEST_COLUMNS =
      "occurred_at, request_id, node, api, method, path, status, outcome, code, reason,"
          + " key_id, developer_id, client_ip, user_agent, latency_micros, upstream_latency_micros";

  private Events() {}

  static void appendAdmin(Connection c, AdminEvent e) throws SQLException {
    String sql = "INSERT INTO admin_events (" + ADMIN_COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, e.time());
      ps.setString(2, e.actor());
      ps.setString(3, e.action());
      ps.setString(4, e.target());
      ps.setString(5, e.detail());
      ps.executeUpdate();
    }
  }

  static List<AdminEvent> newestAdmin(Connection c, int limit) throws SQLException {
    String sql =
        "SELECT "
            + ADMIN_COLUMNS
            + " FROM admin_events ORDER BY occurred_at DESC, seq DESC FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<AdminEvent> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new AdminEvent(
                  Columns.requiredTime(rs, "occurred_at"),
                  Columns.required(rs, "actor"),
                  Columns.required(rs, "action"),
                  Columns.required(rs, "target"),
                  Columns.required(rs, "detail")));
        }
        return out;
      }
    }
  }

  /** One JDBC batch per {@link KeyBulkInsert#BATCH} events, all in the caller's transaction. */
  static void appendRequests(Connection c, List<RequestEvent> events) throws SQLException {
    String sql =
        "INSERT INTO request_events ("
            + REQUEST_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < events.size(); i++) {
        bindRequest(ps, events.get(i));
        ps.addBatch();
        if ((i + 1) % KeyBulkInsert.BATCH == 0 || i == events.size() - 1) {
          ps.executeBatch();
        }
      }
    }
  }

  private static void bindRequest(PreparedStatement ps, RequestEvent e) throws SQLException {
    Columns.setTime(ps, 1, e.time());
    ps.setString(2, e.requestId());
    ps.setString(3, e.node());
    ps.setString(4, e.api());
    ps.setString(5, e.method());
    ps.setString(6, e.path());
    ps.setInt(7, e.status());
    ps.setString(8, e.outcome());
    ps.setString(9, e.code());
    ps.setString(10, e.reason());
    ps.setString(11, e.keyId());
    ps.setString(12, e.developerId());
    ps.setString(13, e.clientIp());
    ps.setString(14, e.userAgent());
    ps.setLong(15, e.latencyMicros());
    ps.setLong(16, e.upstreamLatencyMicros());
  }

  static List<RequestEvent> newestRequests(Connection c, int limit) throws SQLException {
    String sql =
        "SELECT "
            + REQUEST_COLUMNS
            + " FROM request_events ORDER BY occurred_at DESC, seq DESC FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<RequestEvent> out = new ArrayList<>();
        while (rs.next()) {
          out.add(readRequest(rs));
        }
        return out;
      }
    }
  }

  private static RequestEvent readRequest(ResultSet rs) throws SQLException {
    return new RequestEvent(
        Columns.requiredTime(rs, "occurred_at"),
        Columns.required(rs, "request_id"),
        Columns.required(rs, "node"),
        rs.getString("api"),
        Columns.required(rs, "method"),
        Columns.required(rs, "path"),
        rs.getInt("status"),
        Columns.required(rs, "outcome"),
        rs.getString("code"),
        rs.getString("reason"),
        rs.getString("key_id"),
        rs.getString("developer_id"),
        Columns.required(rs, "client_ip"),
        rs.getString("user_agent"),
        rs.getLong("latency_micros"),
        rs.getLong("upstream_latency_micros"));
  }
}
