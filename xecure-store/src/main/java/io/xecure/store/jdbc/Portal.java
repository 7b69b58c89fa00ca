package io.xecure.store.jdbc;

import io.xecure.store.PortalStore.Account;
import io.xecure.store.PortalStore.AccountCredentials;
import io.xecure.store.PortalStore.Allowance;
import io.xecure.store.PortalStore.Invitation;
import io.xecure.store.PortalStore.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** SQL of the developer portal's tables. */
final class Portal {
  private static final String INVITATION_COLUMNS =
      "id, developer_id, created_by, created_at, expires_at, used_at";
  private static final String SESSION_COLUMNS =
      "id, developer_id, created_at, expires_at, last_used_at, revoked_at";

  private Portal() {}

  static void insertInvitation(Connection c, Invitation i, String hash) throws SQLException {
    String sql =
        "INSERT INTO portal_invitations ("
            + INVITATION_COLUMNS
            + ", hash) VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, i.id());
      ps.setString(2, i.developerId());
      ps.setString(3, i.createdBy());
      Columns.setTime(ps, 4, i.createdAt());
      Columns.setTime(ps, 5, i.expiresAt());
      Columns.setTime(ps, 6, i.usedAt());
      ps.setString(7, hash);
      ps.executeUpdate();
    }
  }

  static Optional<Invitation> invitationByHash(Connection c, String hash) throws SQLException {
    String sql = "SELECT " + INVITATION_COLUMNS + " FROM portal_invitations WHERE hash = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(invitation(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Marks the invitation used, only if it is still open at {@code at}, and answers its developer;
   * the condition in the UPDATE makes two racing acceptances end with one winner.
   */
  static Optional<String> use(Connection c, String id, Instant at) throws SQLException {
    String sql =
        "UPDATE portal_invitations SET used_at = ?"
            + " WHERE id = ? AND used_at IS NULL AND expires_at > ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, at);
      ps.setString(2, id);
      Columns.setTime(ps, 3, at);
      if (ps.executeUpdate() != 1) {
        return Optional.empty();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT developer_id FROM portal_invitations WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Columns.required(rs, "developer_id")) : Optional.empty();
      }
    }
  }

  /** Sets the developer's account: updates it when it exists, inserts it otherwise. */
  static Account setAccount(Connection c, String developerId, String email, String hash, Instant at)
      throws SQLException {
    String update =
        "UPDATE portal_accounts SET email = ?, password_hash = ?, updated_at = ?"
            + " WHERE developer_id = ?";
    try (PreparedStatement ps = c.prepareStatement(update)) {
      ps.setString(1, email);
      ps.setString(2, hash);
      Columns.setTime(ps, 3, at);
      ps.setString(4, developerId);
      if (ps.executeUpdate() == 0) {
        String insert =
            "INSERT INTO portal_accounts (developer_id, email, password_hash, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement in = c.prepareStatement(insert)) {
          in.setString(1, developerId);
          in.setString(2, email);
          in.setString(3, hash);
          Columns.setTime(in, 4, at);
          Columns.setTime(in, 5, at);
          in.executeUpdate();
        }
      }
    }
    return account(c, developerId).orElseThrow();
  }

  static Optional<Account> account(Connection c, String developerId) throws SQLException {
    String sql =
        "SELECT developer_id, email, created_at FROM portal_accounts WHERE developer_id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, developerId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(account(rs)) : Optional.empty();
      }
    }
  }

  static Optional<AccountCredentials> credentials(Connection c, String email) throws SQLException {
    String sql =
        "SELECT developer_id, email, created_at, password_hash FROM portal_accounts"
            + " WHERE email = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, email);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new AccountCredentials(account(rs), Columns.required(rs, "password_hash")))
            : Optional.empty();
      }
    }
  }

  static void insertSession(Connection c, Session s, String hash) throws SQLException {
    String sql =
        "INSERT INTO portal_sessions (" + SESSION_COLUMNS + ", hash) VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, s.id());
      ps.setString(2, s.developerId());
      Columns.setTime(ps, 3, s.createdAt());
      Columns.setTime(ps, 4, s.expiresAt());
      Columns.setTime(ps, 5, s.lastUsedAt());
      Columns.setTime(ps, 6, s.revokedAt());
      ps.setString(7, hash);
      ps.executeUpdate();
    }
  }

  static Optional<Session> sessionByHash(Connection c, String hash) throws SQLException {
    String sql = "SELECT " + SESSION_COLUMNS + " FROM portal_sessions WHERE hash = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(session(rs)) : Optional.empty();
      }
    }
  }

  static void touchSession(Connection c, String id, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE portal_sessions SET last_used_at = ? WHERE id = ?")) {
      Columns.setTime(ps, 1, at);
      ps.setString(2, id);
      ps.executeUpdate();
    }
  }

  static boolean revokeSession(Connection c, String id, Instant at) throws SQLException {
    String sql = "UPDATE portal_sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, at);
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  static Optional<Allowance> allowance(Connection c, String developerId) throws SQLException {
    String sql =
        "SELECT apis, scopes, max_keys, plan FROM portal_allowances WHERE developer_id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, developerId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Allowance(
                    Columns.list(rs, "apis"),
                    Columns.list(rs, "scopes"),
                    rs.getInt("max_keys"),
                    rs.getString("plan")))
            : Optional.empty();
      }
    }
  }

  static void putAllowance(Connection c, String developerId, Allowance a) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM portal_allowances WHERE developer_id = ?")) {
      ps.setString(1, developerId);
      ps.executeUpdate();
    }
    String sql =
        "INSERT INTO portal_allowances (developer_id, apis, scopes, max_keys, plan)"
            + " VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, developerId);
      ps.setString(2, Columns.list(a.apis()));
      ps.setString(3, Columns.list(a.scopes()));
      ps.setInt(4, a.maxKeys());
      ps.setString(5, a.plan());
      ps.executeUpdate();
    }
  }

  private static Account account(ResultSet rs) throws SQLException {
    return new Account(
        Columns.required(rs, "developer_id"),
        Columns.required(rs, "email"),
        Columns.requiredTime(rs, "created_at"));
  }

  private static Invitation invitation(ResultSet rs) throws SQLException {
    return new Invitation(
        Columns.required(rs, "id"),
        Columns.required(rs, "developer_id"),
        Columns.required(rs, "created_by"),
        Columns.requiredTime(rs, "created_at"),
        Columns.requiredTime(rs, "expires_at"),
        Columns.time(rs, "used_at"));
  }

  private static Session session(ResultSet rs) throws SQLException {
    return new Session(
        Columns.required(rs, "id"),
        Columns.required(rs, "developer_id"),
        Columns.requiredTime(rs, "created_at"),
        Columns.requiredTime(rs, "expires_at"),
        Columns.requiredTime(rs, "last_used_at"),
        Columns.time(rs, "revoked_at"));
  }
}
