package io.xecure.bench;

import io.xecure.config.RetentionConfig;
import io.xecure.store.jdbc.JdbcStore;
import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Fills a PostgreSQL schema with a console-sized store (issue 10): developers, keys, request events
 * over the last {@code EVENT_DAYS} days and the usage rows a year of the same traffic leaves at the
 * default retention (minutes, hours and days: {@link #GRAINS}), written with COPY. The schema is
 * created and migrated by {@link JdbcStore#open}, as the gateway would. Each table is filled only
 * when empty, so a second run only migrates.
 *
 * <p>{@code java -cp xecure-bench.jar io.xecure.bench.DashboardData URL [events]}
 */
public final class DashboardData {
  static final int DEVELOPERS = 1_000;
  static final int USED_KEYS = 20_000;
  static final int EXTRA_KEYS = 100_000;
  static final int EVENT_DAYS = 30;
  static final String[] APIS = {"users", "orders", "billing", "search", "media"};

  /** Denial codes and their share of the 10% denied, in thousandths. */
  private static final String[] CODES = {
    "key_invalid",
    "key_missing",
    "rate_limited",
    "quota_exceeded",
    "insufficient_scope",
    "ip_not_allowed"
  };

  private static final String[] CODE_COLUMNS = {
    "denied_key_invalid",
    "denied_key_missing",
    "denied_rate_limited",
    "denied_quota_exceeded",
    "denied_insufficient_scope",
    "denied_ip_not_allowed"
  };
  private static final int[] CODE_STATUS = {401, 401, 429, 429, 403, 403};
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSx").withZone(ZoneOffset.UTC);

  private DashboardData() {}

  public static void main(String[] args) throws Exception {
    String url =
        args.length > 0
            ? args[0]
            : "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=xecure_dash_bench";
    long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    createSchema(url);
    JdbcStore.open(url, "postgres", null).close();
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      if (empty(c, "developers")) {
        long n =
            copy.copyIn(
                copySql("developers", "id, name, email, status, created_at"),
                new Rows(DEVELOPERS, DashboardData::developer));
        System.out.println("developers: " + n);
        n =
            copy.copyIn(
                copySql(
                    "api_keys",
                    "id, developer_id, name, display_prefix, hash, status,"
                        + " created_at, apis, scopes, allowed_cidrs, identity_id"),
                new Rows(USED_KEYS + EXTRA_KEYS, DashboardData::key));
        System.out.println("keys: " + n);
      }
      if (empty(c, "request_events")) {
        long start = now.minus(EVENT_DAYS, ChronoUnit.DAYS).toEpochMilli() * 1000;
        long spanMicros = EVENT_DAYS * 86_400_000_000L;
        SplittableRandom r = new SplittableRandom(10);
        long n =
            copy.copyIn(
                copySql(
                    "request_events",
                    "occurred_at, request_id, node, api,"
                        + " method, path, status, outcome, code, reason, key_id, developer_id, client_ip,"
                        + " user_agent, latency_micros, upstream_latency_micros"),
                new Rows(events, i -> event(r, i, start + i * spanMicros / events)));
        System.out.println("request_events: " + n);
      }
      if (empty(c, "usage_minute")) {
        long nowMinute = now.getEpochSecond() / 60;
        double perMinute = (double) events / (EVENT_DAYS * 1440L);
        SplittableRandom r = new SplittableRandom(20);
        for (Grain g : GRAINS) {
          for (String dimension : new String[] {"api", "key", "developer"}) {
            long n =
                copy.copyIn(usageCopy(g.table()), usageRows(r, g, dimension, nowMinute, perMinute));
            System.out.println("usage " + g.table() + " " + dimension + " rows: " + n);
          }
        }
      }
      try (Statement s = c.createStatement()) {
        // as autovacuum leaves a year-old store: statistics, and the visibility map that lets
        // PostgreSQL answer from an index alone
        s.execute(
            "VACUUM ANALYZE developers, api_keys, request_events, usage_minute, usage_hour,"
                + " usage_day");
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT COUNT(*) FROM request_events),"
                      + " (SELECT COUNT(*) FROM usage_minute), (SELECT COUNT(*) FROM usage_hour),"
                      + " (SELECT COUNT(*) FROM usage_day), (SELECT COUNT(*) FROM api_keys)")) {
        rs.next();
        System.out.printf(
            "store: %d request events, usage rows: %d minutes, %d hours, %d days; %d keys%n",
            rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
      }
    }
  }

  private static void createSchema(String url) throws SQLException {
    int q = url.indexOf("currentSchema=");
    if (q < 0) {
      return;
    }
    String schema = url.substring(q + "currentSchema=".length()).split("&")[0];
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    }
  }

  private static boolean empty(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM " + table + " FETCH FIRST 1 ROWS ONLY")) {
      return !rs.next();
    }
  }

  private static String copySql(String table, String columns) {
    return "COPY " + table + " (" + columns + ") FROM STDIN";
  }

  /**
   * A usage table and how much of it exists after a year at the default retention ({@link
   * RetentionConfig#DEFAULT}): 7 days of minutes, 60 days of hours, a year of days.
   */
  record Grain(String table, long minutes, long buckets) {}

  static final Grain[] GRAINS = {
    new Grain("usage_minute", 1, 7 * 1440),
    new Grain("usage_hour", 60, 60 * 24),
    new Grain("usage_day", 1440, 365),
  };

  /**
   * The rows of one dimension in one table, the latest bucket the one in progress. Each bucket
   * holds as many rows as the events of a bucket (the rate of the request events) fall on distinct
   * ids: of 20,000 keys ({@code key}), of 5,000 developer and API pairs ({@code developer}); every
   * API ({@code api}). A key's (a pair's) rows are spread by a stride prime to the count, so one
   * bucket never names an id twice.
   */
  private static Rows usageRows(
      SplittableRandom r, Grain g, String dimension, long nowMinute, double perMinute) {
    double perBucket = perMinute * g.minutes();
    int ids =
        switch (dimension) {
          case "key" -> USED_KEYS;
          case "developer" -> DEVELOPERS * APIS.length;
          default -> APIS.length;
        };
    long distinct =
        dimension.equals("api")
            ? ids
            : Math.max(1, Math.round(ids * (1 - Math.exp(-perBucket / ids))));
    long requests = Math.max(1, Math.round(perBucket / distinct));
    long first = (nowMinute / g.minutes() - g.buckets() + 1) * g.minutes();
    return new Rows(
        g.buckets() * distinct,
        i -> {
          long bucket = i / distinct;
          long minute = first + bucket * g.minutes();
          int slot = (int) ((i % distinct * 7919 + bucket * 13) % ids);
          return switch (dimension) {
            case "key" ->
                usage(
                    r,
                    "key",
                    keyId(slot),
                    minute,
                    APIS[slot % APIS.length],
                    devId(slot % DEVELOPERS),
                    requests);
            case "developer" ->
                usage(
                    r,
                    "developer",
                    devId(slot / APIS.length),
                    minute,
                    APIS[slot % APIS.length],
                    devId(slot / APIS.length),
                    requests);
            default -> usage(r, "api", APIS[slot], minute, APIS[slot], null, requests);
          };
        });
  }

  private static String usageCopy(String table) {
    return copySql(
        table,
        "dimension, id, epoch_minute, api, developer_id, granted,"
            + " denied, status_2xx, status_3xx, status_4xx, status_5xx, latency_sum_us,"
            + " latency_max_us, denied_key_missing, denied_key_invalid, denied_developer_suspended,"
            + " denied_insufficient_scope, denied_ip_not_allowed, denied_cors_rejected,"
            + " denied_rate_limited, denied_quota_exceeded, denied_too_many_failures,"
            + " denied_key_ambiguous, denied_store_unavailable, denied_body_too_large,"
            + " denied_bad_request, denied_other");
  }

  static String devId(int d) {
    return String.format("dev_%06d", d);
  }

  static String keyId(int k) {
    return String.format("key_%07d", k);
  }

  private static String developer(long d) {
    return devId((int) d)
        + "\tDeveloper "
        + d
        + "\tdev"
        + d
        + "@example.com\tactive\t"
        + "2025-01-01 00:00:00+00\n";
  }

  private static String key(long k) {
    String id = keyId((int) k);
    String hash = String.format("%064x", k * 2654435761L + 1);
    return id
        + "\t"
        + devId((int) (k % DEVELOPERS))
        + "\tkey "
        + k
        + "\txk_"
        + id.substring(4)
        + "\t"
        + hash
        + "\tactive\t2025-06-01 00:00:00+00\t[\""
        + APIS[(int) (k % APIS.length)]
        + "\"]\t[]\t[]\t"
        + id
        + "\n";
  }

  private static String event(SplittableRandom r, long i, long micros) {
    int k = r.nextInt(USED_KEYS);
    String api = APIS[k % APIS.length];
    String time = TS.format(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
    int roll = r.nextInt(1000);
    String outcome = roll < 900 ? "granted" : "denied";
    int status = 200;
    String code = "\\N";
    String key = keyId(k);
    String dev = devId(k % DEVELOPERS);
    if (roll >= 900) {
      int c = (roll - 900) * CODES.length / 100;
      code = CODES[c];
      status = CODE_STATUS[c];
      if (c <= 1) {
        key = "\\N";
        dev = "\\N";
      }
    } else if (roll >= 880) {
      status = 500 + r.nextInt(4);
    }
    long latency = 800 + r.nextInt(20_000) + (r.nextInt(100) == 0 ? r.nextInt(500_000) : 0);
    return time
        + "\treq-"
        + i
        + "\tnode-"
        + (i % 3)
        + "\t"
        + api
        + "\tGET\t/"
        + api
        + "/"
        + r.nextInt(10_000)
        + "\t"
        + status
        + "\t"
        + outcome
        + "\t"
        + code
        + "\t\\N\t"
        + key
        + "\t"
        + dev
        + "\t10."
        + r.nextInt(256)
        + "."
        + r.nextInt(256)
        + ".1\tbench/1.0\t"
        + latency
        + "\t"
        + (latency - 500)
        + "\n";
  }

  private static String usage(
      SplittableRandom r,
      String dimension,
      String id,
      long minute,
      String api,
      @Nullable String developer,
      long requests) {
    long denied = r.nextInt(10) == 0 ? Math.max(1, requests / 10) : 0;
    long granted = requests - denied;
    long[] codes = new long[CODE_COLUMNS.length];
    if (denied > 0) {
      codes[r.nextInt(codes.length)] = denied;
    }
    long latencySum = granted * 5_000L + r.nextInt(1000);
    StringBuilder b = new StringBuilder(200);
    b.append(dimension)
        .append('\t')
        .append(id)
        .append('\t')
        .append(minute)
        .append('\t')
        .append(api)
        .append('\t')
        .append(developer == null ? "\\N" : developer)
        .append('\t')
        .append(granted)
        .append('\t')
        .append(denied)
        .append('\t')
        .append(granted)
        .append("\t0\t")
        .append(denied)
        .append("\t0\t")
        .append(latencySum)
        .append('\t')
        .append(20_000 + r.nextInt(50_000));
    // key_missing, key_invalid, developer_suspended, insufficient_scope, ip_not_allowed,
    // cors_rejected, rate_limited, quota_exceeded, then six more zero columns
    long[] order = {
      codes[1], codes[0], 0, codes[4], codes[5], 0, codes[2], codes[3], 0, 0, 0, 0, 0, 0
    };
    for (long v : order) {
      b.append('\t').append(v);
    }
    return b.append('\n').toString();
  }

  /** A COPY text stream of {@code count} rows, each made on demand; prints progress. */
  private static final class Rows extends Reader {
    interface Row {
      String make(long i);
    }

    private final long count;
    private final Row row;
    private long next;
    private String current = "";
    private int pos;

    Rows(long count, Row row) {
      this.count = count;
      this.row = row;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      int n = 0;
      while (n < len) {
        if (pos == current.length()) {
          if (next == count) {
            return n == 0 ? -1 : n;
          }
          current = row.make(next++);
          pos = 0;
          if (next % 1_000_000 == 0) {
            System.out.println("  " + next + " / " + count);
          }
        }
        int take = Math.min(len - n, current.length() - pos);
        current.getChars(pos, pos + take, buf, off + n);
        pos += take;
        n += take;
      }
      return n;
    }

    @Override
    public void close() {}
  }
}
