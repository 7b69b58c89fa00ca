package io.xecure.store.jdbc;

import io.xecure.store.NodeStore.Node;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL of the {@code nodes} table: one row per gateway node, replaced at each heartbeat. */
final class NodeRows {
  private static final String COLUMNS =
      "id, address, version, started_at, last_heartbeat, applied_seq, key_count, redis";

  private NodeRows() {}

  /** Update, else insert, in the caller's transaction: an upsert both databases run alike. */
  static void put(Connection c, Node n) throws SQLException {
    String update =
        "UPDATE nodes SET address = ?, version = ?, started_at = ?, last_heartbeat = ?,"
            + " applied_seq = ?, key_count = ?, redis = ? WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(update)) {
      ps.setString(1, n.address());
      ps.setString(2, n.version());
      Columns.setTime(ps, 3, n.startedAt());
      Columns.setTime(ps, 4, n.lastHeartbeat());
      ps.setLong(5, n.appliedSequence());
      ps.setLong(6, n.keyCount());
      ps.setString(7, n.redis());
      ps.setString(8, n.id());
      if (ps.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO nodes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, n.id());
      ps.setString(2, n.address());
      ps.setString(3, n.version());
      Columns.setTime(ps, 4, n.startedAt());
      Columns.setTime(ps, 5, n.lastHeartbeat());
      ps.setLong(6, n.appliedSequence());
      ps.setLong(7, n.keyCount());
      ps.setString(8, n.redis());
      ps.executeUpdate();
    }
  }

  static List<Node> all(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM nodes ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      List<Node> out = new ArrayList<>();
      while (rs.next()) {
        out.add(
            new Node(
                Columns.required(rs, "id"),
                Columns.required(rs, "address"),
                Columns.required(rs, "version"),
                Columns.requiredTime(rs, "started_at"),
                Columns.requiredTime(rs, "last_heartbeat"),
                rs.getLong("applied_seq"),
                rs.getLong("key_count"),
                Columns.required(rs, "redis")));
      }
      return out;
    }
  }

  static int deleteBefore(Connection c, Instant cutoff) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE last_heartbeat < ?")) {
      Columns.setTime(ps, 1, cutoff);
      return ps.executeUpdate();
    }
  }
}
