package io.xecure.store.jdbc;

import io.xecure.usage.KeyUse;
import io.xecure.usage.UsageCounts;
import io.xecure.usage.UsageDimension;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageRow;
import io.xecure.usage.UsageSeries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * SQL of the usage tables, {@code usage_minute} (V4), {@code usage_hour} and {@code usage_day}
 * (V9), and of the keys' last use. Counts are added with {@code UPDATE ... SET n = n + ?} and rows
 * that do not exist yet are inserted: plain SQL on H2 and PostgreSQL alike, and safe when nodes
 * race to insert the same row (the loser updates instead). Each flush adds its counts to the
 * minute, the hour and the day in one transaction, so the three tables always agree.
 */
final class Usage {
  /** The problem codes with a column of their own; any other denial counts in denied_other. */
  static final List<String> CODES =
      List.of(
          "key_missing",
          "key_invalid",
          "developer_suspended",
          "insufficient_scope",
          "ip_not_allowed",
          "cors_rejected",
          "rate_limited",
          "quota_exceeded",
          "too_many_failures",
          "key_ambiguous",
          "store_unavailable",
          "body_too_large",
          "bad_request");

  static final String OTHER = io.xecure.usage.UsageAggregator.OTHER;

  /** Columns that add up, in the order of {@link #values}. */
  private static final List<String> SUMMED = summed();

  private static final String MAX = "latency_max_us";
  private static final String KEY_WHERE =
      " WHERE dimension = ? AND id = ? AND epoch_minute = ? AND api = ?";
  private static final Map<UsageInterval, String> UPDATE = bySource(Usage::update);
  private static final Map<UsageInterval, String> INSERT = bySource(Usage::insert);
  private static final Comparator<UsageRow.Key> ORDER =
      Comparator.comparing(UsageRow.Key::dimension)
          .thenComparing(UsageRow.Key::id)
          .thenComparing(UsageRow.Key::minute)
          .thenComparing(UsageRow.Key::api);
  private static final int INSERT_ATTEMPTS = 3;

  private Usage() {}

  private static List<String> summed() {
    List<String> columns =
        new ArrayList<>(
            List.of(
                "granted",
                "denied",
                "status_2xx",
                "status_3xx",
                "status_4xx",
                "status_5xx",
                "latency_sum_us"));
    CODES.forEach(code -> columns.add("denied_" + code));
    columns.add("denied_" + OTHER);
    return List.copyOf(columns);
  }

  private static Map<UsageInterval, String> bySource(
      java.util.function.Function<UsageInterval, String> sql) {
    Map<UsageInterval, String> map = new java.util.EnumMap<>(UsageInterval.class);
    for (UsageInterval grain : UsageInterval.values()) {
      map.put(grain, sql.apply(grain));
    }
    return map;
  }

  /** The table holding rows of {@code grain}: every epoch_minute in it is a multiple of it. */
  static String table(UsageInterval grain) {
    return "usage_" + grain.wire();
  }

  private static String update(UsageInterval grain) {
    StringBuilder sql = new StringBuilder("UPDATE " + table(grain) + " SET ");
    for (String column : SUMMED) {
      sql.append(column).append(" = ").append(column).append(" + ?, ");
    }
    return sql.append(MAX)
        .append(" = GREATEST(")
        .append(MAX)
        .append(", ?)")
        .append(KEY_WHERE)
        .toString();
  }

  private static String insert(UsageInterval grain) {
    int n = 5 + SUMMED.size() + 1;
    return "INSERT INTO "
        + table(grain)
        + " (dimension, id, epoch_minute, api, developer_id, "
        + String.join(", ", SUMMED)
        + ", "
        + MAX
        + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(n, "?"))
        + ")";
  }

  /**
   * Adds the rows to their minutes, hours and days, in the caller's transaction. Rows of the same
   * bucket, dimension, id and API are first added together; all are written in one order (minutes,
   * then hours, then days, each sorted), so two nodes' flushes lock rows in the same order and
   * cannot deadlock each other.
   */
  static void add(Connection c, List<UsageRow> rows) throws SQLException {
    for (UsageInterval grain : UsageInterval.values()) {
      add(c, grain, merged(rows, grain));
    }
  }

  private static void add(Connection c, UsageInterval grain, List<UsageRow> pending)
      throws SQLException {
    List<UsageRow> missing = updateAll(c, grain, pending);
    for (int attempt = 1; !missing.isEmpty(); attempt++) {
      Savepoint beforeInsert = c.setSavepoint();
      try {
        insertAll(c, grain, missing);
        return;
      } catch (SQLException e) {
        if (attempt >= INSERT_ATTEMPTS || !StoreErrors.isUniqueViolation(e)) {
          throw e;
        }
        // another node inserted some of these rows since our update: add to them instead
        c.rollback(beforeInsert);
        missing = updateAll(c, grain, missing);
      }
    }
  }

  /** The rows moved to the start of their bucket of {@code grain}, those of one bucket added up. */
  private static List<UsageRow> merged(List<UsageRow> rows, UsageInterval grain) {
    Map<UsageRow.Key, UsageRow> byKey = new TreeMap<>(ORDER);
    for (UsageRow row : rows) {
      UsageRow r =
          grain == UsageInterval.MINUTE
              ? row
              : new UsageRow(
                  row.dimension(),
                  row.id(),
                  row.api(),
                  row.developerId(),
                  grain.floor(row.minute()),
                  row.counts());
      byKey.merge(r.key(), r, (a, b) -> a.withCounts(a.counts().plus(b.counts())));
    }
    return new ArrayList<>(byKey.values());
  }

  /** Updates every row that exists; returns the others. */
  private static List<UsageRow> updateAll(Connection c, UsageInterval grain, List<UsageRow> rows)
      throws SQLException {
    List<UsageRow> missing = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(UPDATE.get(grain))) {
      for (int from = 0; from < rows.size(); from += KeyBulkInsert.BATCH) {
        List<UsageRow> batch =
            rows.subList(from, Math.min(rows.size(), from + KeyBulkInsert.BATCH));
        for (UsageRow row : batch) {
          int i = 1;
          for (long v : values(row.counts())) {
            ps.setLong(i++, v);
          }
          ps.setLong(i++, row.counts().latencyMaxMicros());
          bindKey(ps, i, row);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        for (int j = 0; j < counts.length; j++) {
          if (counts[j] == 0) {
            missing.add(batch.get(j));
          }
        }
      }
    }
    return missing;
  }

  private static void insertAll(Connection c, UsageInterval grain, List<UsageRow> rows)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT.get(grain))) {
      for (int j = 0; j < rows.size(); j++) {
        UsageRow row = rows.get(j);
        int i = bindKey(ps, 1, row);
        ps.setString(i++, row.developerId());
        for (long v : values(row.counts())) {
          ps.setLong(i++, v);
        }
        ps.setLong(i, row.counts().latencyMaxMicros());
        ps.addBatch();
        if ((j + 1) % KeyBulkInsert.BATCH == 0 || j == rows.size() - 1) {
          ps.executeBatch();
        }
      }
    }
  }

  /** Binds dimension, id, epoch minute and api from {@code index}; returns the next index. */
  private static int bindKey(PreparedStatement ps, int index, UsageRow row) throws SQLException {
    ps.setString(index, row.dimension().wire());
    ps.setString(index + 1, row.id());
    ps.setLong(index + 2, epochMinute(row.minute()));
    ps.setString(index + 3, row.api());
    return index + 4;
  }

  /** The counts in {@link #SUMMED} order. */
  private static long[] values(UsageCounts u) {
    long[] v = new long[SUMMED.size()];
    v[0] = u.granted();
    v[1] = u.denied();
    v[2] = u.status2xx();
    v[3] = u.status3xx();
    v[4] = u.status4xx();
    v[5] = u.status5xx();
    v[6] = u.latencySumMicros();
    long other = 0;
    for (Map.Entry<String, Long> e : u.deniedByCode().entrySet()) {
      int i = CODES.indexOf(e.getKey());
      if (i < 0) {
        other += e.getValue();
      } else {
        v[7 + i] += e.getValue();
      }
    }
    v[7 + CODES.size()] += other;
    return v;
  }

  static long epochMinute(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), 60);
  }

  // ---- last use

  /**
   * Sets each key's last use unless the stored one is later (another node's), in id order. An admin
   * change never writes these columns (see {@link Keys#update}), so it cannot move them back.
   */
  static void recordUses(Connection c, List<KeyUse> uses) throws SQLException {
    List<KeyUse> sorted = new ArrayList<>(uses);
    sorted.sort(Comparator.comparing(KeyUse::keyId));
    String sql =
        "UPDATE api_keys SET last_used_at = ?, last_used_ip = ?"
            + " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int j = 0; j < sorted.size(); j++) {
        KeyUse use = sorted.get(j);
        Columns.setTime(ps, 1, use.at());
        ps.setString(2, use.ip());
        ps.setString(3, use.keyId());
        Columns.setTime(ps, 4, use.at());
        ps.addBatch();
        if ((j + 1) % KeyBulkInsert.BATCH == 0 || j == sorted.size() - 1) {
          ps.executeBatch();
        }
      }
    }
  }

  // ---- queries

  /**
   * Ranks the ids of the grouping by requests over the range, then reads the points of the first
   * {@code limit} from the table of the query's interval (minute rows rolled up by integer division
   * when the range is not on that interval's boundaries). The ranking adds up the coarsest rows
   * that tile the range: whole days, then hours, then minutes at its edges, so a week is about
   * seven rows per id rather than ten thousand. A series with no rows at the points' grain (past
   * that grain's retention, while the days are kept) is left out.
   */
  static UsageSeries.Result query(Connection c, UsageQuery q) throws SQLException {
    long from = epochMinute(q.from());
    long to = epochMinute(q.to());
    List<String> ranked = rank(c, q, from, to);
    boolean more = ranked.size() > q.limit();
    List<String> ids = more ? ranked.subList(0, q.limit()) : ranked;
    if (ids.isEmpty()) {
      return new UsageSeries.Result(List.of(), false);
    }
    Map<String, List<UsageSeries.Point>> points = points(c, q, from, to, ids);
    List<UsageSeries> series = new ArrayList<>();
    for (String id : ids) {
      List<UsageSeries.Point> list = points.get(id);
      if (list == null) {
        // ranked on coarser rows that outlive the finer ones (retention): nothing at this grain
        continue;
      }
      UsageCounts total = UsageCounts.ZERO;
      for (UsageSeries.Point p : list) {
        total = total.plus(p.counts());
      }
      series.add(new UsageSeries(id, total, list));
    }
    return new UsageSeries.Result(series, more && !series.isEmpty());
  }

  /** A range of minutes to read from the table of {@code grain}. */
  record Span(UsageInterval grain, long from, long to) {}

  /**
   * The minutes {@code [from, to)} as the fewest rows: the whole days inside from usage_day, the
   * whole hours left from usage_hour, the minutes left from usage_minute. The spans are disjoint
   * and cover the range exactly.
   */
  static List<Span> tiling(long from, long to) {
    List<Span> spans = new ArrayList<>();
    tile(spans, UsageInterval.DAY, from, to);
    return spans;
  }

  private static void tile(List<Span> spans, UsageInterval grain, long from, long to) {
    if (from >= to) {
      return;
    }
    if (grain == UsageInterval.MINUTE) {
      spans.add(new Span(grain, from, to));
      return;
    }
    UsageInterval finer = grain == UsageInterval.DAY ? UsageInterval.HOUR : UsageInterval.MINUTE;
    long step = grain.minutes();
    long first = Math.floorDiv(from + step - 1, step) * step;
    long last = Math.floorDiv(to, step) * step;
    if (first >= last) {
      tile(spans, finer, from, to);
      return;
    }
    tile(spans, finer, from, first);
    spans.add(new Span(grain, first, last));
    tile(spans, finer, last, to);
  }

  private static List<String> rank(Connection c, UsageQuery q, long from, long to)
      throws SQLException {
    Filter filter = new Filter(q);
    List<Span> spans = tiling(from, to);
    StringBuilder parts = new StringBuilder();
    for (Span span : spans) {
      if (parts.length() > 0) {
        parts.append(" UNION ALL ");
      }
      parts
          .append("SELECT ")
          .append(filter.group)
          .append(" AS series_id, granted + denied AS n FROM ")
          .append(table(span.grain()))
          .append(filter.where);
    }
    String sql =
        "SELECT series_id, SUM(n) AS total FROM ("
            + parts
            + ") spans GROUP BY series_id ORDER BY total DESC, series_id FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (Span span : spans) {
        i = filter.bind(ps, i, span.from(), span.to());
      }
      ps.setInt(i, q.limit() + 1);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(Columns.required(rs, "series_id"));
        }
      }
      return ids;
    }
  }

  /**
   * The table whose rows are the query's points: that of its interval when the range is on that
   * interval's boundaries (the admin API's always is), else the minutes.
   */
  private static UsageInterval pointSource(UsageInterval interval, long from, long to) {
    int step = interval.minutes();
    return from % step == 0 && to % step == 0 ? interval : UsageInterval.MINUTE;
  }

  private static Map<String, List<UsageSeries.Point>> points(
      Connection c, UsageQuery q, long from, long to, List<String> ids) throws SQLException {
    Filter filter = new Filter(q);
    int step = q.interval().minutes();
    UsageInterval source = pointSource(q.interval(), from, to);
    String bucket =
        step == source.minutes() ? "epoch_minute" : "(epoch_minute / " + step + ") * " + step;
    StringBuilder sums = new StringBuilder();
    for (String column : SUMMED) {
      sums.append(", SUM(").append(column).append(") AS ").append(column);
    }
    String sql =
        "SELECT "
            + filter.group
            + " AS series_id, "
            + bucket
            + " AS bucket"
            + sums
            + ", MAX("
            + MAX
            + ") AS "
            + MAX
            + " FROM "
            + table(source)
            + filter.where
            + " AND "
            + filter.group
            + " IN ("
            + String.join(", ", java.util.Collections.nCopies(ids.size(), "?"))
            + ") GROUP BY "
            + filter.group
            + ", "
            + bucket;
    Map<String, List<UsageSeries.Point>> points = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = filter.bind(ps, 1, from, to);
      for (String id : ids) {
        ps.setString(i++, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant t = Instant.ofEpochSecond(rs.getLong("bucket") * 60);
          points
              .computeIfAbsent(Columns.required(rs, "series_id"), k -> new ArrayList<>())
              .add(new UsageSeries.Point(t, counts(rs)));
        }
      }
    }
    points.values().forEach(list -> list.sort(Comparator.comparing(UsageSeries.Point::t)));
    return points;
  }

  private static UsageCounts counts(ResultSet rs) throws SQLException {
    Map<String, Long> denied = new TreeMap<>();
    for (String code : CODES) {
      long n = rs.getLong("denied_" + code);
      if (n != 0) {
        denied.put(code, n);
      }
    }
    long other = rs.getLong("denied_" + OTHER);
    if (other != 0) {
      denied.put(OTHER, other);
    }
    return new UsageCounts(
        rs.getLong("granted"),
        rs.getLong("denied"),
        denied,
        rs.getLong("status_2xx"),
        rs.getLong("status_3xx"),
        rs.getLong("status_4xx"),
        rs.getLong("status_5xx"),
        rs.getLong("latency_sum_us"),
        rs.getLong(MAX));
  }

  /**
   * The rows a query reads, in any of the three tables: those of its source dimension (the finest
   * it involves) in a range of minutes, matching its filters. A developer is found in developer_id
   * on key and developer rows alike, an API in api on every row. When the grouping is the source
   * dimension itself, the series id is the row's id (a developer row's id is its developer, an API
   * row's its API), so the points of the first ids are read on the primary key.
   */
  private static final class Filter {
    final String group;
    final String where;
    private final String dimension;
    private final List<String> args = new ArrayList<>();

    Filter(UsageQuery q) {
      UsageDimension source = q.source();
      this.dimension = source.wire();
      this.group = q.groupBy() == source ? "id" : column(q.groupBy());
      StringBuilder sql =
          new StringBuilder(" WHERE dimension = ? AND epoch_minute >= ? AND epoch_minute < ?");
      condition(sql, " AND id = ?", q.key());
      condition(sql, " AND developer_id = ?", q.developer());
      condition(sql, " AND api = ?", q.api());
      if (q.groupBy() == UsageDimension.DEVELOPER) {
        sql.append(" AND developer_id IS NOT NULL");
      }
      this.where = sql.toString();
    }

    private void condition(StringBuilder sql, String clause, @Nullable String value) {
      if (value != null) {
        sql.append(clause);
        args.add(value);
      }
    }

    private static String column(UsageDimension d) {
      return switch (d) {
        case KEY -> "id";
        case DEVELOPER -> "developer_id";
        case API -> "api";
      };
    }

    /**
     * Binds the dimension, the minutes {@code [from, to)} and the filters; returns the next index.
     */
    int bind(PreparedStatement ps, int index, long from, long to) throws SQLException {
      int i = index;
      ps.setString(i++, dimension);
      ps.setLong(i++, from);
      ps.setLong(i++, to);
      for (String arg : args) {
        ps.setString(i++, arg);
      }
      return i;
    }
  }
}
