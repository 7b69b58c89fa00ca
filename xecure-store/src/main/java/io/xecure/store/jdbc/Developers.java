package io.xecure.store.jdbc;

import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.store.DeveloperEdit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * SQL of the {@code developers} table. A deleted developer keeps its row with {@code deleted_at}
 * set, and every read here filters it out: to the application it is gone, to an auditor its revoked
 * keys still name it.
 */
final class Developers {
  private static final String COLUMNS = "id, name, email, status, created_at";

  private Developers() {}

  static void insert(Connection c, Developer d) throws SQLException {
    String sql = "INSERT INTO developers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, d.id());
      ps.setString(2, d.name());
      ps.setString(3, d.email());
      ps.setString(4, d.status().wire());
      Columns.setTime(ps, 5, d.createdAt());
      ps.executeUpdate();
    }
  }

  static Optional<Developer> find(Connection c, String id) throws SQLException {
    String sql = "SELECT " + COLUMNS + " FROM developers WHERE id = ? AND deleted_at IS NULL";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Locks the developer's row until the transaction ends, so that writers who lock it first are
   * decided one after another; false when there is no such developer (deleted or not).
   */
  static boolean lock(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM developers WHERE id = ? FOR UPDATE")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Fetches {@code limit + 1} rows so the caller can tell whether a next page exists. */
  static List<Developer> after(Connection c, @Nullable String cursor, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM developers WHERE deleted_at IS NULL"
            + (cursor == null ? "" : " AND id > ?")
            + " ORDER BY id FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (cursor != null) {
        ps.setString(i++, cursor);
      }
      ps.setInt(i, limit + 1);
      try (ResultSet rs = ps.executeQuery()) {
        List<Developer> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(read(rs));
        }
        return rows;
      }
    }
  }

  /**
   * Writes the fields {@code edit} sets, and only those, in one statement: a concurrent edit of the
   * other fields keeps what it wrote. False when there is no such (undeleted) developer.
   */
  static boolean edit(Connection c, String id, DeveloperEdit edit) throws SQLException {
    List<String> sets = new ArrayList<>();
    List<String> values = new ArrayList<>();
    if (edit.name() != null) {
      sets.add("name = ?");
      values.add(edit.name());
    }
    if (edit.email() != null) {
      sets.add("email = ?");
      values.add(edit.email());
    }
    if (edit.status() != null) {
      sets.add("status = ?");
      values.add(edit.status().wire());
    }
    if (sets.isEmpty()) {
      sets.add("status = status"); // nothing to write; still tells whether the developer exists
    }
    String sql =
        "UPDATE developers SET " + String.join(", ", sets) + " WHERE id = ? AND deleted_at IS NULL";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String value : values) {
        ps.setString(i++, value);
      }
      ps.setString(i, id);
      return ps.executeUpdate() == 1;
    }
  }

  /** Marks the developer deleted; false when there is no such (undeleted) developer. */
  static boolean markDeleted(Connection c, String id, Instant now) throws SQLException {
    String sql = "UPDATE developers SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setTime(ps, 1, now);
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  /** The live developers of these ids, in no particular order. */
  static List<Developer> byIds(Connection c, List<String> ids) throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM developers WHERE deleted_at IS NULL AND id IN ("
            + ChangeRows.marks(ids.size())
            + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<Developer> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(read(rs));
        }
        return rows;
      }
    }
  }

  static void streamAll(Connection c, Consumer<Developer> sink) throws SQLException {
    String sql = "SELECT " + COLUMNS + " FROM developers WHERE deleted_at IS NULL";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(JdbcStore.FETCH_SIZE);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sink.accept(read(rs));
        }
      }
    }
  }

  private static Developer read(ResultSet rs) throws SQLException {
    return new Developer(
        Columns.required(rs, "id"),
        Columns.required(rs, "name"),
        Columns.required(rs, "email"),
        DeveloperStatus.valueOf(Columns.required(rs, "status").toUpperCase(Locale.ROOT)),
        Columns.requiredTime(rs, "created_at"));
  }
}
