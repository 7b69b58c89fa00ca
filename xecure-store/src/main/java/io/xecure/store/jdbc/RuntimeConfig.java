package io.xecure.store.jdbc;

import io.xecure.store.ConfigChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SQL of {@code runtime_config}: one row per API or plan changed at run time. */
final class RuntimeConfig {
  private static final String COLUMNS = "kind, name, config, base, changed_at";

  private RuntimeConfig() {}

  static List<ConfigChange> all(Connection c) throws SQLException {
    String sql = "SELECT " + COLUMNS + " FROM runtime_config ORDER BY changed_at, kind, name";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<ConfigChange> out = new ArrayList<>();
      while (rs.next()) {
        out.add(
            new ConfigChange(
                ConfigChange.Kind.valueOf(Columns.required(rs, "kind").toUpperCase(Locale.ROOT)),
                Columns.required(rs, "name"),
                rs.getString("config"),
                Columns.required(rs, "base"),
                Columns.requiredTime(rs, "changed_at")));
      }
      return out;
    }
  }

  /** Delete then insert in the caller's transaction: an upsert both databases run alike. */
  static void put(Connection c, ConfigChange change) throws SQLException {
    delete(c, change.kind(), change.name());
    String sql = "INSERT INTO runtime_config (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, change.kind().wire());
      ps.setString(2, change.name());
      ps.setString(3, change.config());
      ps.setString(4, change.base());
      Columns.setTime(ps, 5, change.changedAt());
      ps.executeUpdate();
    }
  }

  static void delete(Connection c, ConfigChange.Kind kind, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM runtime_config WHERE kind = ? AND name = ?")) {
      ps.setString(1, kind.wire());
      ps.setString(2, name);
      ps.executeUpdate();
    }
  }
}
