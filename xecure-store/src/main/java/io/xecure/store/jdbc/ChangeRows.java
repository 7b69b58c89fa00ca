package io.xecure.store.jdbc;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.store.ChangeLog.Batch;
import io.xecure.store.ChangeLog.Change;
import io.xecure.store.ChangeLog.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * SQL of the change feed: {@code change_sequence} and {@code changes} (see V6__changes.sql for why
 * a counter row rather than a database sequence).
 */
final class ChangeRows {
  /** What every NOTIFY channel of the feed starts with; the payload is the latest sequence. */
  static final String CHANNEL_PREFIX = "xecure_changes_";

  /** PostgreSQL truncates identifiers longer than this (NAMEDATALEN - 1). */
  private static final int MAX_IDENTIFIER = 63;

  /** Ids per {@code IN (...)} when reading the state a batch names. */
  private static final int IN_CHUNK = 500;

  private ChangeRows() {}

  /**
   * Records changes to {@code ids} in the caller's transaction; call it last, just before commit,
   * so the counter row stays locked for as short a time as possible. With a {@code channel}, a
   * PostgreSQL NOTIFY goes out on it when (and only if) the transaction commits.
   *
   * @return the sequence of the last change recorded
   */
  static long append(
      Connection c, @Nullable String channel, Subject subject, List<String> ids, Instant now)
      throws SQLException {
    if (ids.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE change_sequence SET last_seq = last_seq + ? WHERE id = 1")) {
      ps.setInt(1, ids.size());
      ps.executeUpdate();
    }
    long last = latest(c);
    long seq = last - ids.size();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO changes (seq, subject, subject_id, changed_at) VALUES (?, ?, ?, ?)")) {
      for (String id : ids) {
        ps.setLong(1, ++seq);
        ps.setString(2, subject.wire());
        ps.setString(3, id);
        Columns.setTime(ps, 4, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    if (channel != null) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        ps.setString(1, channel);
        ps.setString(2, Long.toString(last));
        ps.execute();
      }
    }
    return last;
  }

  static long append(
      Connection c, @Nullable String channel, Subject subject, String id, Instant now)
      throws SQLException {
    return append(c, channel, subject, List.of(id), now);
  }

  /**
   * The NOTIFY channel of the feed whose tables are in {@code schema}: {@code xecure_changes_} and
   * the schema, lower case, every character but a-z, 0-9 and _ made an _, so that it is a valid
   * unquoted identifier. When that changed the name (two schemas could then meet, {@code a-b} and
   * {@code a_b}) or it is too long, a hash of the exact schema name is appended, within 63
   * characters.
   */
  static String channel(String schema) {
    String clean = schema.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    String name = CHANNEL_PREFIX + clean;
    if (clean.equals(schema) && name.length() <= MAX_IDENTIFIER) {
      return name;
    }
    String hash = Integer.toHexString(schema.hashCode() & 0x7fffffff);
    int keep = Math.min(name.length(), MAX_IDENTIFIER - hash.length() - 1);
    return name.substring(0, keep) + "_" + hash;
  }

  /**
   * Deletes up to {@code limit} of the oldest changes committed before {@code cutoff} with a
   * sequence of at most {@code atMost}, never the latest change; returns how many.
   */
  static int deleteBefore(Connection c, Instant cutoff, long atMost, int limit)
      throws SQLException {
    long bound = Math.min(atMost, latest(c) - 1);
    long upTo;
    String last =
        "SELECT MAX(seq) FROM (SELECT seq FROM changes WHERE seq <= ? AND changed_at < ?"
            + " ORDER BY seq FETCH FIRST ? ROWS ONLY) oldest";
    try (PreparedStatement ps = c.prepareStatement(last)) {
      ps.setLong(1, bound);
      Columns.setTime(ps, 2, cutoff);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
        upTo = rs.getLong(1);
        if (rs.wasNull()) {
          return 0;
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM changes WHERE seq <= ? AND changed_at < ?")) {
      ps.setLong(1, upTo);
      Columns.setTime(ps, 2, cutoff);
      return ps.executeUpdate();
    }
  }

  static long latest(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT last_seq FROM change_sequence WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  static Batch after(Connection c, long after, int limit) throws SQLException {
    List<Change> changes = new ArrayList<>();
    String sql =
        "SELECT seq, subject, subject_id FROM changes WHERE seq > ? ORDER BY seq"
            + " FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, after);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          changes.add(
              new Change(
                  rs.getLong(1),
                  Subject.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                  rs.getString(3)));
        }
      }
    }
    if (changes.isEmpty()) {
      return Batch.EMPTY;
    }
    Set<String> keyIds = new LinkedHashSet<>();
    Set<String> developerIds = new LinkedHashSet<>();
    for (Change change : changes) {
      if (change.subject() == Subject.KEY) {
        keyIds.add(change.id());
      } else if (change.subject() == Subject.DEVELOPER) {
        developerIds.add(change.id());
      }
    }
    Map<String, ApiKeyRecord> keys = new HashMap<>();
    for (List<String> chunk : chunks(keyIds)) {
      Keys.byIds(c, chunk).forEach(k -> keys.put(k.id(), k));
    }
    Map<String, Developer> developers = new HashMap<>();
    for (List<String> chunk : chunks(developerIds)) {
      Developers.byIds(c, chunk).forEach(d -> developers.put(d.id(), d));
    }
    return new Batch(List.copyOf(changes), keys, developers);
  }

  private static List<List<String>> chunks(Set<String> ids) {
    List<String> all = new ArrayList<>(ids);
    List<List<String>> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      out.add(all.subList(from, Math.min(all.size(), from + IN_CHUNK)));
    }
    return out;
  }

  /** {@code "?, ?, ?"} for {@code n} parameters. */
  static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
