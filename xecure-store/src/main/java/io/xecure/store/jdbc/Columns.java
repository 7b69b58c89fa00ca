package io.xecure.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xecure.store.Page;
import io.xecure.store.StoreUnavailableException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** How Java values are written to and read from columns, the same way on H2 and PostgreSQL. */
final class Columns {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String EMPTY_LIST = "[]";

  private Columns() {}

  /**
   * Times are written as UTC OffsetDateTime, the one java.time type both drivers map to TIMESTAMP
   * WITH TIME ZONE; truncated to microseconds (PostgreSQL's precision) so a value reads back
   * exactly as written instead of rounded.
   */
  static void setTime(PreparedStatement ps, int index, @Nullable Instant time) throws SQLException {
    if (time == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, time.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
    }
  }

  static @Nullable Instant time(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Instant requiredTime(ResultSet rs, String column) throws SQLException {
    Instant t = time(rs, column);
    if (t == null) {
      throw new SQLException(column + " is null", "22004");
    }
    return t;
  }

  static String list(List<String> values) {
    if (values.isEmpty()) {
      return EMPTY_LIST;
    }
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("list cannot be written as JSON", e);
    }
  }

  static List<String> list(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    return text == null ? List.of() : list(text, column);
  }

  /** A list column's JSON text as an immutable list; {@code column} names it in the error. */
  static List<String> list(String text, String column) {
    if (text.equals(EMPTY_LIST)) {
      return List.of();
    }
    try {
      return List.copyOf(JSON.readValue(text, STRINGS));
    } catch (JsonProcessingException e) {
      throw new StoreUnavailableException("store holds an unreadable list in " + column, e);
    }
  }

  static String required(ResultSet rs, String column) throws SQLException {
    String value = rs.getString(column);
    if (value == null) {
      throw new SQLException(column + " is null", "22004");
    }
    return value;
  }

  /**
   * Turns {@code limit + 1} fetched rows into a page: the extra row only tells that there is a next
   * page, whose cursor is the last id shown.
   */
  static <T> Page<T> page(List<T> rows, int limit, Function<T, String> id) {
    if (rows.size() <= limit) {
      return new Page<>(List.copyOf(rows), null);
    }
    List<T> items = List.copyOf(rows.subList(0, limit));
    return new Page<>(items, id.apply(items.get(limit - 1)));
  }

  static void checkLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }
}
