package io.xecure.store.jdbc;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.KeyHash;
import io.xecure.store.ChangeLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Imports many keys fast and tells, per input row, whether it was inserted.
 *
 * <p>Each batch of {@link #BATCH} keys is one transaction: first one {@code SELECT hash ... WHERE
 * hash IN (...)} finds which hashes the table already holds, then one JDBC batch inserts the rest.
 * Asking first is what makes the per-row answer exact on both databases: PostgreSQL's {@code ON
 * CONFLICT DO NOTHING} would skip silently, but with {@code reWriteBatchedInserts} the driver
 * reports no per-row counts, and H2 has no portable equivalent. A hash repeated within the input is
 * inserted once, at its first occurrence.
 */
final class KeyBulkInsert {
  static final int BATCH = 1000;

  private final Sql sql;
  private final @Nullable String channel;

  KeyBulkInsert(Sql sql, @Nullable String channel) {
    this.sql = sql;
    this.channel = channel;
  }

  boolean[] insert(List<ApiKeyRecord> keys) {
    boolean[] inserted = new boolean[keys.size()];
    boolean[] first = firstOccurrences(keys);
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<Integer> candidates = candidates(first, from, Math.min(from + BATCH, keys.size()));
      List<Integer> done = insertBatch(keys, candidates);
      done.forEach(i -> inserted[i] = true);
    }
    return inserted;
  }

  /**
   * One batch, retried once when a concurrent writer inserted one of its hashes between our look-up
   * and our insert: the retry's look-up sees that row. A second conflict (e.g. a duplicate id) is
   * the caller's {@link IllegalArgumentException}.
   */
  private List<Integer> insertBatch(List<ApiKeyRecord> keys, List<Integer> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    try {
      return sql.transaction("insert keys", "key", c -> insertNew(c, keys, candidates));
    } catch (IllegalArgumentException concurrentDuplicate) {
      return sql.transaction("insert keys", "key", c -> insertNew(c, keys, candidates));
    }
  }

  private List<Integer> insertNew(Connection c, List<ApiKeyRecord> keys, List<Integer> candidates)
      throws SQLException {
    Set<String> existing = existingHashes(c, keys, candidates);
    List<Integer> fresh = new ArrayList<>(candidates.size());
    try (PreparedStatement ps = c.prepareStatement(Keys.INSERT)) {
      for (int i : candidates) {
        ApiKeyRecord key = keys.get(i);
        if (!existing.contains(key.hash().toHex())) {
          Keys.bindInsert(ps, key);
          ps.addBatch();
          fresh.add(i);
        }
      }
      if (!fresh.isEmpty()) {
        ps.executeBatch();
      }
    }
    List<String> ids = new ArrayList<>(fresh.size());
    fresh.forEach(i -> ids.add(keys.get(i).id()));
    ChangeRows.append(c, channel, ChangeLog.Subject.KEY, ids, Instant.now());
    return fresh;
  }

  private static Set<String> existingHashes(
      Connection c, List<ApiKeyRecord> keys, List<Integer> candidates) throws SQLException {
    String marks = String.join(", ", Collections.nCopies(candidates.size(), "?"));
    String query = "SELECT hash FROM api_keys WHERE hash IN (" + marks + ")";
    try (PreparedStatement ps = c.prepareStatement(query)) {
      for (int p = 0; p < candidates.size(); p++) {
        ps.setString(p + 1, keys.get(candidates.get(p)).hash().toHex());
      }
      Set<String> found = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      return found;
    }
  }

  private static boolean[] firstOccurrences(List<ApiKeyRecord> keys) {
    boolean[] first = new boolean[keys.size()];
    Set<KeyHash> seen = new HashSet<>(Math.max(16, keys.size() * 4 / 3));
    for (int i = 0; i < keys.size(); i++) {
      first[i] = seen.add(keys.get(i).hash());
    }
    return first;
  }

  private static List<Integer> candidates(boolean[] first, int from, int to) {
    List<Integer> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      if (first[i]) {
        out.add(i);
      }
    }
    return out;
  }
}
