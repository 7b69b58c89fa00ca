package io.xecure.store.jdbc;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.store.KeyEdit;
import io.xecure.store.KeyFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /**
   * The developer's keys active at {@code now}: status active, and past neither their expiry nor
   * their rotation grace (the status callers see, as {@code KeyService.effectiveStatus} tells it).
   */
  static int countActive(Connection c, String developerId, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM api_keys WHERE developer_id = ? AND status = 'active'"
                + " AND (expires_at IS NULL OR expires_at > ?)"
                + " AND (grace_until IS NULL OR grace_until > ?)")) {
      ps.setString(1, developerId);
      Columns.setTime(ps, 2, now);
      Columns.setTime(ps, 3, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
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

  /** Sets the status to revoked, and nothing else; false when there is no such key. */
  static boolean revoke(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE api_keys SET status = 'revoked' WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Writes the columns {@code edit} sets and no other: a revocation or another edit committed
   * meanwhile keeps what it wrote. False when there is no such key.
   */
  static boolean edit(Connection c, String id, KeyEdit edit) throws SQLException {
    List<String> sets = new ArrayList<>();
    List<Binder> binds = new ArrayList<>();
    if (edit.name() != null) {
      String name = edit.name();
      sets.add("name = ?");
      binds.add((ps, i) -> ps.setString(i, name));
    }
    list(sets, binds, "apis", edit.apis());
    list(sets, binds, "scopes", edit.scopes());
    list(sets, binds, "allowed_cidrs", edit.allowedCidrs());
    if (edit.setExpiry()) {
      sets.add("expires_at = ?");
      binds.add((ps, i) -> Columns.setTime(ps, i, edit.expiresAt()));
    }
    if (edit.setPlan()) {
      sets.add("plan = ?");
      binds.add((ps, i) -> ps.setString(i, edit.plan()));
    }
    if (sets.isEmpty()) {
      return byId(c, id).isPresent();
    }
    String sql = "UPDATE api_keys SET " + String.join(", ", sets) + " WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (Binder bind : binds) {
        bind.bind(ps, i++);
      }
      ps.setString(i, id);
      return ps.executeUpdate() == 1;
    }
  }

  private interface Binder {
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

  private static void list(
      List<String> sets, List<Binder> binds, String column, @Nullable List<String> value) {
    if (value != null) {
      sets.add(column + " = ?");
      binds.add((ps, i) -> ps.setString(i, Columns.list(value)));
    }
  }

  /**
   * Retires a key being rotated, if it is still active and was never rotated: conditional on the
   * row as it is now, so a rotation racing a revocation or another rotation does one thing only.
   */
  static boolean retire(Connection c, String id, Instant graceUntil, boolean revokeNow)
      throws SQLException {
    String sql =
        "UPDATE api_keys SET grace_until = ?"
            + (revokeNow ? ", status = 'revoked'" : "")
            + " WHERE id = ? AND status = 'active' AND grace_until IS NULL";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, graceUntil);
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  /** The keys of these ids that exist, in no particular order. */
  static List<ApiKeyRecord> byIds(Connection c, List<String> ids) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(SELECT + " WHERE id IN (" + ChangeRows.marks(ids.size()) + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      return all(ps);
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

  /** Every key stored, as {@link #streamAll} would stream them (capped at Integer.MAX_VALUE). */
  static int count(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM api_keys");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? (int) Math.min(Integer.MAX_VALUE, rs.getLong(1)) : 0;
    }
  }

  /**
   * Streams every key for the start-up load, with the columns the key index reads only (see {@link
   * io.xecure.store.ChangeLog#loadSnapshot}): a forward-only, read-only cursor, and on H2 lazy
   * execution, without which H2 first copies the whole result (to a temporary file beyond a few ten
   * thousand rows) before handing out the first row.
   */
  static void streamAll(Connection c, Consumer<ApiKeyRecord> sink) throws SQLException {
    boolean h2 = c.getMetaData().getDatabaseProductName().equals("H2");
    if (h2) {
      lazy(c, true);
    }
    try (PreparedStatement ps =
        c.prepareStatement(SNAPSHOT, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      ps.setFetchSize(JdbcStore.FETCH_SIZE);
      try (ResultSet rs = ps.executeQuery()) {
        SnapshotRows rows = new SnapshotRows();
        while (rs.next()) {
          sink.accept(rows.read(rs));
        }
      }
    } finally {
      if (h2) {
        lazy(c, false);
      }
    }
  }

  private static void lazy(Connection c, boolean on) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LAZY_QUERY_EXECUTION " + (on ? "TRUE" : "FALSE"));
    }
  }

  private static final String SNAPSHOT =
      "SELECT id, developer_id, hash, status, expires_at, apis, scopes, allowed_cidrs, plan,"
          + " identity_id, grace_until FROM api_keys";

  /**
   * Maps {@link #SNAPSHOT} rows by column number, sharing what a million keys repeat: developer
   * ids, plans and parsed lists are one instance per distinct value (up to {@value #SHARED} of
   * each), and an identity equal to the key's id is the id itself. Columns the index does not read
   * are empty, the epoch or null.
   */
  private static final class SnapshotRows {
    private static final int SHARED = 4096;
    private final Map<String, String> strings = new HashMap<>();
    private final Map<String, List<String>> lists = new HashMap<>();

    ApiKeyRecord read(ResultSet rs) throws SQLException {
      String id = required(rs, 1);
      String identity = required(rs, 10);
      String plan = rs.getString(9);
      return new ApiKeyRecord(
          id,
          shared(required(rs, 2)),
          "",
          "",
          KeyHash.ofHex(required(rs, 3)),
          status(required(rs, 4)),
          Instant.EPOCH,
          time(rs, 5),
          list(rs, 6),
          list(rs, 7),
          list(rs, 8),
          plan == null ? null : shared(plan),
          null,
          null,
          null,
          identity.equals(id) ? id : identity,
          time(rs, 11));
    }

    private static String required(ResultSet rs, int column) throws SQLException {
      String value = rs.getString(column);
      if (value == null) {
        throw new SQLException("column " + column + " of api_keys is null", "22004");
      }
      return value;
    }

    private static KeyStatus status(String wire) {
      return switch (wire) {
        case "active" -> KeyStatus.ACTIVE;
        case "revoked" -> KeyStatus.REVOKED;
        default -> KeyStatus.valueOf(wire.toUpperCase(Locale.ROOT));
      };
    }

    private static @Nullable Instant time(ResultSet rs, int column) throws SQLException {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }

    private String shared(String value) {
      String known = strings.get(value);
      if (known != null) {
        return known;
      }
      if (strings.size() < SHARED) {
        strings.put(value, value);
      }
      return value;
    }

    private List<String> list(ResultSet rs, int column) throws SQLException {
      String text = required(rs, column);
      List<String> known = lists.get(text);
      if (known != null) {
        return known;
      }
      List<String> parsed = Columns.list(text, "api_keys column " + column);
      if (lists.size() < SHARED) {
        lists.put(text, parsed);
      }
      return parsed;
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
