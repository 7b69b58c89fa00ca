package io.xecure.store.jdbc;

import io.xecure.usage.UsageDimension;
import io.xecure.usage.UsageInterval;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Deletes old rows in bounded chunks with portable SQL (neither database has {@code DELETE ...
 * LIMIT}): the time of the row {@code limit} places from the oldest bounds the chunk, found on the
 * time index, and everything older is deleted. Each chunk is its own short transaction.
 */
final class Retention {
  private Retention() {}

  private static int deleteEvents(Connection c, String condition, Instant t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM request_events WHERE " + condition)) {
      Columns.setTime(ps, 1, t);
      return ps.executeUpdate();
    }
  }

  /**
   * Usage rows of {@code grain} whose bucket starts before {@code cutoff}: about {@code limit} of
   * each dimension.
   */
  static int usage(Connection c, UsageInterval grain, Instant cutoff, int limit)
      throws SQLException {
    String table = Usage.table(grain);
    long cutoffMinute = Usage.epochMinute(cutoff);
    int deleted = 0;
    for (UsageDimension d : UsageDimension.values()) {
      deleted += usage(c, table, d.wire(), cutoffMinute, limit);
    }
    return deleted;
  }

  private static int usage(Connection c, String table, String dimension, long cutoff, int limit)
      throws SQLException {
    String bound =
        "SELECT epoch_minute FROM "
            + table
            + " WHERE dimension = ? AND epoch_minute < ?"
            + " ORDER BY epoch_minute OFFSET ? ROWS FETCH FIRST 1 ROW ONLY";
    Long until = null;
    try (PreparedStatement ps = c.prepareStatement(bound)) {
      ps.setString(1, dimension);
      ps.setLong(2, cutoff);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          until = rs.getLong(1);
        }
      }
    }
    if (until == null) {
      return deleteUsage(c, table, dimension, "epoch_minute < ?", cutoff);
    }
    int deleted = deleteUsage(c, table, dimension, "epoch_minute < ?", until);
    return deleted > 0 ? deleted : deleteUsage(c, table, dimension, "epoch_minute = ?", until);
  }

  private static int deleteUsage(
      Connection c, String table, String dimension, String condition, long minute)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + table + " WHERE dimension = ? AND " + condition)) {
      ps.setString(1, dimension);
      ps.setLong(2, minute);
      return ps.executeUpdate();
    }
  }
}
