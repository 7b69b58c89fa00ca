package io.xecure.store.duck;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The names a request event shares with thousands of others (node, API, outcome, problem code,
 * denial reason), each stored once in {@code event_names} and in the events as its number. DuckDB
 * spends 20-25 % less CPU storing a wrong-key event with these five as integers rather than strings
 * (bench/results/events-writer-2026-12-06.md), and a filter on them compares numbers.
 *
 * <p>Only values the gateway itself chooses go here, so the table stays small: node ids, the
 * configuration's API names, and the product's outcomes, codes and reasons. Values a client chooses
 * (paths, addresses, user agents) or that grow with the store (key and developer ids) stay strings.
 *
 * <p>A new name is inserted through a connection of its own, committed at once and only then known
 * here: an event that refers to it can never be committed before its name, and a rolled-back group
 * of events leaves at worst a name nothing refers to. Read from any thread; {@link #id} adds names
 * on the writer's thread only, under the store's lock.
 */
final class EventNames {
  static final String SCHEMA =
      "CREATE TABLE IF NOT EXISTS event_names (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL"
          + " UNIQUE)";

  private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
  private volatile String[] names; // by id; id 0 is never used
  private int maxId; // the writer's only
  private final PreparedStatement insert;

  private EventNames(Connection own, String[] names) throws SQLException {
    this.names = names;
    for (int id = 1; id < names.length; id++) {
      if (names[id] != null) {
        ids.put(names[id], id);
        maxId = id;
      }
    }
    this.insert = own.prepareStatement("INSERT INTO event_names (id, name) VALUES (?, ?)");
  }

  /** Loads the stored names; {@code own} is a connection for inserting new ones (autocommit). */
  static EventNames load(Connection own) throws SQLException {
    String[] names = new String[16];
    try (Statement s = own.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name FROM event_names")) {
      while (rs.next()) {
        int id = rs.getInt(1);
        if (id >= names.length) {
          names = Arrays.copyOf(names, Math.max(id + 1, names.length * 2));
        }
        names[id] = rs.getString(2);
      }
    }
    return new EventNames(own, names);
  }

  /** The number of {@code name}, inserting it when new (the writer's thread, under its lock). */
  int id(String name) throws SQLException {
    Integer known = ids.get(name);
    if (known != null) {
      return known;
    }
    int id = maxId + 1;
    insert.setInt(1, id);
    insert.setString(2, name);
    insert.executeUpdate();
    String[] current = names;
    String[] next = id < current.length ? current.clone() : Arrays.copyOf(current, id * 2);
    next[id] = name;
    names = next; // published before any event that refers to it can be committed
    ids.put(name, id);
    maxId = id;
    return id;
  }

  /** The number of {@code name} if stored, else -1 (which no event holds). */
  int find(String name) {
    Integer id = ids.get(name);
    return id == null ? -1 : id;
  }

  /** The name whose number is in {@code column} of the current row, or null for SQL NULL. */
  @Nullable String name(ResultSet rs, String column) throws SQLException {
    int id = rs.getInt(column);
    if (rs.wasNull()) {
      return null;
    }
    String[] current = names;
    String name = id > 0 && id < current.length ? current[id] : null;
    if (name == null) {
      throw new SQLException("request events refer to event name " + id + ", which is not stored");
    }
    return name;
  }
}
