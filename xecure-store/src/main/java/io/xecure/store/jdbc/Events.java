package io.xecure.store.jdbc;

import io.xecure.events.RequestEvent;
import io.xecure.store.AdminEvent;
import io.xecure.store.EventFilter;
import io.xecure.store.EventPosition;
import io.xecure.store.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * SQL of {@code admin_events} and {@code request_events}. Newest first is by time, then by the
 * insertion sequence for events of the same microsecond; lists page on that pair.
 */
final class Events {
  private static final String ADMIN_COLUMNS = "occurred_at, actor, action, target, detail";
  private static final String REQUEST_COLUMNS =
      "occurred_at, request_id, node, api, method, path, status, outcome, code, reason,"
          + " key_id, developer_id, client_ip, user_agent, latency_micros, upstream_latency_micros";
  private static final int REQUEST_PARAMS = 16;

  /**
   * Rows per multi-row INSERT, largest first: a batch of n rows is cut into statements of these
   * sizes, so there are few distinct statements to parse and cache (H2 keeps 8 per session) and a
   * batch of 1000 is two statements. 500 rows stay well below PostgreSQL's 32767 parameters per
   * statement (16 per row).
   */
  private static final int[] ROWS_PER_INSERT = {500, 100, 20, 5, 1};

  private static final String[] INSERTS =
      Arrays.stream(ROWS_PER_INSERT).mapToObj(Events::insertSql).toArray(String[]::new);

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

  /**
   * Stores a batch once: false, and nothing written, when {@code batchId} was stored before. The
   * batch's row and its events are written in the caller's transaction.
   */
  static boolean appendBatch(Connection c, String batchId, Instant now, List<RequestEvent> events)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM event_batches WHERE batch_id = ?")) {
      ps.setString(1, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO event_batches (batch_id, stored_at) VALUES (?, ?)")) {
      ps.setString(1, batchId);
      Columns.setTime(ps, 2, now);
      ps.executeUpdate();
    }
    appendRequests(c, events);
    return true;
  }

  /**
   * Inserts the events and records that {@code fileId} is stored up to {@code offset}, in the
   * caller's transaction. UPDATE, then INSERT when the file has no row yet: the same SQL on H2 and
   * PostgreSQL (their upserts differ), and one indexer writes each file's row.
   */
  static void appendFromFile(
      Connection c, String fileId, long offset, Instant now, List<RequestEvent> events)
      throws SQLException {
    appendRequests(c, events);
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE events_file_positions SET stored_up_to = ?, stored_at = ? WHERE file_id = ?")) {
      ps.setLong(1, offset);
      Columns.setTime(ps, 2, now);
      ps.setString(3, fileId);
      if (ps.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO events_file_positions (file_id, stored_up_to, stored_at)"
                + " VALUES (?, ?, ?)")) {
      ps.setString(1, fileId);
      ps.setLong(2, offset);
      Columns.setTime(ps, 3, now);
      ps.executeUpdate();
    }
  }

  /** The offset stored for {@code fileId}, or -1. */
  static long storedUpTo(Connection c, String fileId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT stored_up_to FROM events_file_positions WHERE file_id = ?")) {
      ps.setString(1, fileId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** Inserts every event with multi-row INSERTs, in the caller's transaction. */
  static void appendRequests(Connection c, List<RequestEvent> events) throws SQLException {
    int from = 0;
    for (int i = 0; i < ROWS_PER_INSERT.length && from < events.size(); i++) {
      int rows = ROWS_PER_INSERT[i];
      if (events.size() - from < rows) {
        continue;
      }
      try (PreparedStatement ps = c.prepareStatement(INSERTS[i])) {
        for (; events.size() - from >= rows; from += rows) {
          bindRows(ps, events.subList(from, from + rows));
          ps.executeUpdate();
        }
      }
    }
  }

  private static String insertSql(int rows) {
    String row = "(" + String.join(", ", Collections.nCopies(REQUEST_PARAMS, "?")) + ")";
    return "INSERT INTO request_events ("
        + REQUEST_COLUMNS
        + ") VALUES "
        + String.join(", ", Collections.nCopies(rows, row));
  }

  private static void bindRows(PreparedStatement ps, List<RequestEvent> rows) throws SQLException {
    int p = 0;
    for (RequestEvent e : rows) {
      Columns.setTime(ps, ++p, e.time());
      ps.setString(++p, e.requestId());
      ps.setString(++p, e.node());
      ps.setString(++p, e.api());
      ps.setString(++p, e.method());
      ps.setString(++p, e.path());
      ps.setInt(++p, e.status());
      ps.setString(++p, e.outcome());
      ps.setString(++p, e.code());
      ps.setString(++p, e.reason());
      ps.setString(++p, e.keyId());
      ps.setString(++p, e.developerId());
      ps.setString(++p, e.clientIp());
      ps.setString(++p, e.userAgent());
      ps.setLong(++p, e.latencyMicros());
      ps.setLong(++p, e.upstreamLatencyMicros());
    }
  }

  static List<StoredEvent<RequestEvent>> requests(
      Connection c, EventFilter f, @Nullable EventPosition after, int limit) throws SQLException {
    Where where = new Where();
    where.equal("outcome", f.outcome());
    where.equal("code", f.code());
    where.equal("developer_id", f.developerId());
    where.equal("key_id", f.keyId());
    where.equal("api", f.api());
    where.time(f.from(), f.to(), after);
    String sql = where.select("seq, " + REQUEST_COLUMNS, "request_events");
    List<StoredEvent<RequestEvent>> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      where.bind(ps, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RequestEvent e = readRequest(rs);
          out.add(new StoredEvent<>(e, new EventPosition(e.time(), rs.getLong("seq"))));
        }
      }
    }
    return out;
  }

  static Set<String> requestIds(Connection c, String node, Instant from, Instant to)
      throws SQLException {
    // occurred_at leads the time index: a range scan, whose rows are then filtered by node
    String sql =
        "SELECT request_id FROM request_events"
            + " WHERE occurred_at >= ? AND occurred_at <= ? AND node = ?";
    Set<String> ids = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, from);
      Columns.setTime(ps, 2, to);
      ps.setString(3, node);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  static List<StoredEvent<AdminEvent>> admin(
      Connection c, EventFilter f, @Nullable EventPosition after, int limit) throws SQLException {
    Where where = new Where();
    where.equal("actor", f.actor());
    where.equal("action", f.action());
    where.equal("target", f.target());
    where.time(f.from(), f.to(), after);
    String sql = where.select("seq, " + ADMIN_COLUMNS, "admin_events");
    List<StoredEvent<AdminEvent>> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      where.bind(ps, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          AdminEvent e =
              new AdminEvent(
                  Columns.requiredTime(rs, "occurred_at"),
                  Columns.required(rs, "actor"),
                  Columns.required(rs, "action"),
                  Columns.required(rs, "target"),
                  Columns.required(rs, "detail"));
          out.add(new StoredEvent<>(e, new EventPosition(e.time(), rs.getLong("seq"))));
        }
      }
    }
    return out;
  }

  /**
   * Deletes the oldest events before {@code cutoff}, at most {@code max}, by the time index; once
   * fewer are left, also the ids of batches stored before {@code cutoff} (a batch that old is no
   * longer delivered: its events would be deleted at once) and the offsets of events files last
   * stored to before it (what a file idle that long had stored is past retention too).
   */
  static int deleteRequestsBefore(Connection c, Instant cutoff, int max) throws SQLException {
    String sql =
        "DELETE FROM request_events WHERE seq IN (SELECT seq FROM request_events"
            + " WHERE occurred_at < ? ORDER BY occurred_at FETCH FIRST ? ROWS ONLY)";
    int deleted;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, cutoff);
      ps.setInt(2, max);
      deleted = ps.executeUpdate();
    }
    if (deleted < max) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM event_batches WHERE stored_at < ?")) {
        Columns.setTime(ps, 1, cutoff);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM events_file_positions WHERE stored_at < ?")) {
        Columns.setTime(ps, 1, cutoff);
        ps.executeUpdate();
      }
    }
    return deleted;
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

  /** The WHERE clause of a filtered, newest-first, keyset-paged list, and its parameters. */
  private static final class Where {
    private final List<String> clauses = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    void equal(String column, @Nullable String value) {
      if (value != null) {
        clauses.add(column + " = ?");
        values.add(value);
      }
    }

    void time(@Nullable Instant from, @Nullable Instant to, @Nullable EventPosition after) {
      if (from != null) {
        clauses.add("occurred_at >= ?");
        values.add(from);
      }
      if (to != null) {
        clauses.add("occurred_at < ?");
        values.add(to);
      }
      if (after != null) {
        // the rows after the cursor in (occurred_at DESC, seq DESC) order
        clauses.add("(occurred_at < ? OR (occurred_at = ? AND seq < ?))");
        values.add(after.time());
        values.add(after.time());
        values.add(after.seq());
      }
    }

    String select(String columns, String table) {
      String where = clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
      return "SELECT "
          + columns
          + " FROM "
          + table
          + where
          + " ORDER BY occurred_at DESC, seq DESC FETCH FIRST ? ROWS ONLY";
    }

    void bind(PreparedStatement ps, int limit) throws SQLException {
      int p = 0;
      for (Object value : values) {
        p++;
        if (value instanceof Instant time) {
          Columns.setTime(ps, p, time);
        } else if (value instanceof Long number) {
          ps.setLong(p, number);
        } else {
          ps.setString(p, (String) value);
        }
      }
      ps.setInt(p + 1, limit);
    }
  }
}
