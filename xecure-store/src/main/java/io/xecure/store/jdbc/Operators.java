package io.xecure.store.jdbc;

import io.xecure.model.Operator;
import io.xecure.model.OperatorRole;
import io.xecure.model.OperatorToken;
import io.xecure.store.OperatorStore.Credentials;
import io.xecure.store.OperatorStore.Grant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** SQL of the {@code operators} and {@code operator_tokens} tables. */
final class Operators {
  private static final String COLUMNS = "id, email, name, role, disabled, created_at";
  private static final String TOKEN_COLUMNS =
      "t.id AS token_id, t.operator_id, t.kind, t.name AS token_name, t.created_at AS token_created,"
          + " t.expires_at, t.last_used_at, t.revoked_at";

  private Operators() {}

  static void insert(Connection c, Operator o, @Nullable String passwordHash) throws SQLException {
    String sql =
        "INSERT INTO operators (" + COLUMNS + ", password_hash) VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, o.id());
      ps.setString(2, o.email());
      ps.setString(3, o.name());
      ps.setString(4, o.role().wire());
      ps.setBoolean(5, o.disabled());
      Columns.setTime(ps, 6, o.createdAt());
      ps.setString(7, passwordHash);
      ps.executeUpdate();
    }
  }

  static Optional<Operator> byId(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM operators WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  static Optional<Credentials> credentials(Connection c, String email) throws SQLException {
    String sql = "SELECT " + COLUMNS + ", password_hash FROM operators WHERE email = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, email);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Credentials(read(rs), rs.getString("password_hash")))
            : Optional.empty();
      }
    }
  }

  /** Fetches {@code limit + 1} rows so the caller can tell whether a next page exists. */
  static List<Operator> after(Connection c, @Nullable String cursor, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM operators"
            + (cursor == null ? "" : " WHERE id > ?")
            + " ORDER BY id FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (cursor != null) {
        ps.setString(i++, cursor);
      }
      ps.setInt(i, limit + 1);
      try (ResultSet rs = ps.executeQuery()) {
        List<Operator> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(read(rs));
        }
        return rows;
      }
    }
  }

  static boolean update(Connection c, Operator o) throws SQLException {
    String sql = "UPDATE operators SET name = ?, role = ?, disabled = ? WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, o.name());
      ps.setString(2, o.role().wire());
      ps.setBoolean(3, o.disabled());
      ps.setString(4, o.id());
      return ps.executeUpdate() == 1;
    }
  }

  static boolean setPassword(Connection c, String id, String hash) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE operators SET password_hash = ? WHERE id = ?")) {
      ps.setString(1, hash);
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  /** Tokens first: the foreign key's ON DELETE CASCADE would do it, this says it. */
  static boolean delete(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM operator_tokens WHERE operator_id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM operators WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() == 1;
    }
  }

  static void insertToken(Connection c, OperatorToken t, String hash) throws SQLException {
    String sql =
        "INSERT INTO operator_tokens (id, operator_id, kind, name, hash, created_at, expires_at,"
            + " last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, t.id());
      ps.setString(2, t.operatorId());
      ps.setString(3, t.kind().wire());
      ps.setString(4, t.name());
      ps.setString(5, hash);
      Columns.setTime(ps, 6, t.createdAt());
      Columns.setTime(ps, 7, t.expiresAt());
      Columns.setTime(ps, 8, t.lastUsedAt());
      Columns.setTime(ps, 9, t.revokedAt());
      ps.executeUpdate();
    }
  }

  static List<OperatorToken> tokens(Connection c, String operatorId, OperatorToken.Kind kind)
      throws SQLException {
    String sql =
        "SELECT "
            + TOKEN_COLUMNS
            + " FROM operator_tokens t WHERE t.operator_id = ? AND t.kind = ? ORDER BY t.id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, operatorId);
      ps.setString(2, kind.wire());
      try (ResultSet rs = ps.executeQuery()) {
        List<OperatorToken> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(readToken(rs));
        }
        return rows;
      }
    }
  }

  static Optional<Grant> byHash(Connection c, String hash) throws SQLException {
    String sql =
        "SELECT "
            + TOKEN_COLUMNS
            + ", o.id, o.email, o.name, o.role, o.disabled, o.created_at"
            + " FROM operator_tokens t JOIN operators o ON o.id = t.operator_id WHERE t.hash = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Grant(readToken(rs), read(rs))) : Optional.empty();
      }
    }
  }

  static boolean revoke(Connection c, String operatorId, String tokenId, Instant at)
      throws SQLException {
    String sql =
        "UPDATE operator_tokens SET revoked_at = COALESCE(revoked_at, ?)"
            + " WHERE id = ? AND operator_id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, at);
      ps.setString(2, tokenId);
      ps.setString(3, operatorId);
      return ps.executeUpdate() == 1;
    }
  }

  static void touch(Connection c, String tokenId, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE operator_tokens SET last_used_at = ? WHERE id = ?")) {
      Columns.setTime(ps, 1, at);
      ps.setString(2, tokenId);
      ps.executeUpdate();
    }
  }

  private static Operator read(ResultSet rs) throws SQLException {
    return new Operator(
        Columns.required(rs, "id"),
        Columns.required(rs, "email"),
        Columns.required(rs, "name"),
        Objects.requireNonNull(OperatorRole.parse(Columns.required(rs, "role"))),
        rs.getBoolean("disabled"),
        Columns.requiredTime(rs, "created_at"));
  }

  private static OperatorToken readToken(ResultSet rs) throws SQLException {
    return new OperatorToken(
        Columns.required(rs, "token_id"),
        Columns.required(rs, "operator_id"),
        OperatorToken.Kind.valueOf(Columns.required(rs, "kind").toUpperCase(Locale.ROOT)),
        Columns.required(rs, "token_name"),
        Columns.requiredTime(rs, "token_created"),
        Columns.time(rs, "expires_at"),
        Columns.time(rs, "last_used_at"),
        Columns.time(rs, "revoked_at"));
  }
}
