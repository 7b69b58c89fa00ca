package io.xecure.store.jdbc;

import io.xecure.keys.KeyHash;
import io.xecure.store.ApiKeyRecord;
import io.xecure.store.KeyFilter;
import io.xecure.store.KeyStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** SQL of the {@code api_keys} table. The hash is stored as 64 lowercase hex characters. */
final class Keys {
  static final String COLUMNS =
      "id, developer_id, name, display_prefix, hash, status, created_at, expires_at,"
          + " apis, scopes, allowed_cidrs, plan, last_used_at, last_used_ip,"
          + " replaces_key_id, identity_id, grace_until";
  static final String INSERT =
      "INSERT INTO api_keys ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM api_keys";

  private Keys() {}

  static void insert(Connection c, ApiKeyRecord k) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      bindInsert(ps, k);
      ps.executeUpdate();
    }
  }

  /** Binds every column of {@link #INSERT}, in {@link #COLUMNS} order. */
  static void bindInsert(PreparedStatement ps, ApiKeyRecord k) throws SQLException {
    ps.setString(1, k.id());
    ps.setString(2, k.developerId());
    ps.setString(3, k.name());
    ps.setString(4, k.displayPrefix());
    ps.setString(5, k.hash().toHex());
    ps.setString(6, k.status().wire());
    Columns.setTime(ps, 7, k.createdAt());
    Columns.setTime(ps, 8, k.expiresAt());
    ps.setString(9, Columns.list(k.apis()));
    ps.setString(10, Columns.list(k.scopes()));
    ps.setString(11, Columns.list(k.allowedCidrs()));
    ps.setString(12, k.plan());
    Columns.setTime(ps, 13, k.lastUsedAt());
    ps.setString(14, k.lastUsedIp());
    ps.setString(15, k.replacesKeyId());
    ps.setString(16, k.identityId());
    Columns.setTime(ps, 17, k.graceUntil());
  }

  static Optional<ApiKeyRecord> byId(Connection c, String id) throws SQLException {
    return one(c, SELECT + " WHERE id = ?", id);
  }

  static Optional<ApiKeyRecord> byHash(Connection c, KeyHash hash) throws SQLException {
    return one(c, SELECT + " WHERE hash = ?", hash.toHex());
  }

  /** Fetches {@code limit + 1} rows so the caller can tell whether a next page exists. */
  static List<ApiKeyRecord> after(
      Connection c, KeyFilter filter, @Nullable String cursor, int limit) throws SQLException {
    List<String> where = new ArrayList<>();
    List<String> args = new ArrayList<>();
    condition(where, args, "developer_id = ?", filter.developerId());
    condition(where, args, "status = ?", filter.status() == null ? null : filter.status().wire());
    condition(where, args, "id > ?", cursor);
    String sql =
        SELECT
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY id FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      ps.setInt(args.size() + 1, limit + 1);
      return all(ps);
    }
  }

  private static void condition(
      List<String> where, List<String> args, String clause, @Nullable String arg) {
    if (arg != null) {
      where.add(clause);
      args.add(arg);
    }
  }

  /**
   * Replaces every mutable column; id, developer, hash, display prefix and created stay, and so
   * does the last use: only {@link Usage#recordUses} writes it, so an admin change written from a
   * record read a moment earlier cannot move it back.
   */
  static boolean update(Connection c, ApiKeyRecord k) throws SQLException {
    String sql =
        "UPDATE api_keys SET name = ?, status = ?, expires_at = ?, apis = ?, scopes = ?,"
            + " allowed_cidrs = ?, plan = ?,"
            + " replaces_key_id = ?, identity_id = ?, grace_until = ? WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, k.name());
      ps.setString(2, k.status().wire());
      Columns.setTime(ps, 3, k.expiresAt());
      ps.setString(4, Columns.list(k.apis()));
      ps.setString(5, Columns.list(k.scopes()));
      ps.setString(6, Columns.list(k.allowedCidrs()));
      ps.setString(7, k.plan());
      ps.setString(8, k.replacesKeyId());
      ps.setString(9, k.identityId());
      Columns.setTime(ps, 10, k.graceUntil());
      ps.setString(11, k.id());
      return ps.executeUpdate() == 1;
    }
  }

  /** Ids of the developer's keys not yet revoked, then revokes them: the caller's transaction. */
  static List<String> revokeAllOf(Connection c, String developerId) throws SQLException {
    List<String> ids = new ArrayList<>();
    String select = "SELECT id FROM api_keys WHERE developer_id = ? AND status <> 'revoked'";
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, developerId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    String update =
        "UPDATE api_keys SET status = 'revoked' WHERE developer_id = ? AND status <> 'revoked'";
    try (PreparedStatement ps = c.prepareStatement(update)) {
      ps.setString(1, developerId);
      ps.executeUpdate();
    }
    return ids;
  }

  static void streamAll(Connection c, Consumer<ApiKeyRecord> sink) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT)) {
      ps.setFetchSize(JdbcStore.FETCH_SIZE);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sink.accept(read(rs));
        }
      }
    }
  }

  private static Optional<ApiKeyRecord> one(Connection c, String sql, String arg)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      List<ApiKeyRecord> rows = all(ps);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
  }

  private static List<ApiKeyRecord> all(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<ApiKeyRecord> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(read(rs));
      }
      return rows;
    }
  }

  private static ApiKeyRecord read(ResultSet rs) throws SQLException {
    return new ApiKeyRecord(
        Columns.required(rs, "id"),
        Columns.required(rs, "developer_id"),
        Columns.required(rs, "name"),
        Columns.required(rs, "display_prefix"),
        KeyHash.ofHex(Columns.required(rs, "hash")),
        KeyStatus.valueOf(Columns.required(rs, "status").toUpperCase(Locale.ROOT)),
        Columns.requiredTime(rs, "created_at"),
        Columns.time(rs, "expires_at"),
        Columns.list(rs, "apis"),
        Columns.list(rs, "scopes"),
        Columns.list(rs, "allowed_cidrs"),
        rs.getString("plan"),
        Columns.time(rs, "last_used_at"),
        rs.getString("last_used_ip"),
        rs.getString("replaces_key_id"),
        Columns.required(rs, "identity_id"),
        Columns.time(rs, "grace_until"));
  }
}
