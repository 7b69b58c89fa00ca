package io.xecure.bench;

import io.xecure.config.EventsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.events.recorder.EventRecorder;
import io.xecure.store.SplitStore;
import io.xecure.store.Store;
import io.xecure.store.duck.DuckEventStore;
import io.xecure.store.jdbc.JdbcStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * How many request events per second the writer sustains into each store. Two figures per store:
 * the store alone ({@code appendRequestEvents} of 1000-event batches, one thread) and the whole
 * recorder (queue, file and store, offered as fast as the writer takes them). Run by hand (see
 * {@code bench/README.md}); it was a test that printed a figure and could not fail.
 *
 * <pre>
 * java -cp xecure-bench/target/benchmarks.jar io.xecure.bench.EventWriterThroughput \
 *   h2 duckdb jdbc:postgresql://127.0.0.1:5432/test
 * </pre>
 *
 * {@code h2} is a fresh H2 file store in a temporary directory; {@code duckdb} the same with
 * request events in a DuckDB file beside it, as a single node keeps them by default; a PostgreSQL
 * URL gets a fresh schema, dropped afterwards (user {@code XECURE_BENCH_PG_USER}, default postgres,
 * password {@code XECURE_BENCH_PG_PASSWORD}).
 */
public final class EventWriterThroughput {
  private static final int WARM_UP = 100_000;
  private static final int EVENTS = 50_000;
  private static final long MAX_WAIT_NANOS = TimeUnit.MINUTES.toNanos(5);
  private static final AtomicLong IDS = new AtomicLong();

  private EventWriterThroughput() {}

  public static void main(String[] args) throws Exception {
    for (String store : args.length == 0 ? new String[] {"h2"} : args) {
      Path dir = Files.createTempDirectory("xecure-event-writer");
      if (store.equals("h2")) {
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("xecure").toAbsolutePath();
        try (JdbcStore jdbc = JdbcStore.open(url, null, null)) {
          measure("H2", jdbc, dir);
        }
      } else if (store.equals("duckdb")) {
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("xecure").toAbsolutePath();
        Path file = dir.resolve("data").resolve("events.duckdb");
        try (SplitStore split =
            new SplitStore(
                JdbcStore.open(url, null, null),
                DuckEventStore.open(file, EventsConfig.DEFAULT_DUCKDB_MEMORY_LIMIT))) {
          measure("DuckDB", split, dir);
        }
      } else if (store.startsWith("jdbc:postgresql:")) {
        measurePostgres(store, dir);
      } else {
        throw new IllegalArgumentException(
            "expected h2, duckdb or a jdbc:postgresql: URL, got " + store);
      }
    }
  }

  private static void measurePostgres(String url, Path dir) throws Exception {
    String user = env("XECURE_BENCH_PG_USER", "postgres");
    String password = System.getenv("XECURE_BENCH_PG_PASSWORD");
    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "");
    execute(url, user, password, "CREATE SCHEMA " + schema);
    try (JdbcStore jdbc =
        JdbcStore.open(
            url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password)) {
      measure("PostgreSQL", jdbc, dir);
    } finally {
      execute(url, user, password, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** Rate in events per wall-clock second and this JVM's CPU microseconds per event. */
  private record Rate(double perSecond, double cpuMicros) {}

  private static void measure(String backend, Store store, Path dir) throws IOException {
    storeAlone(store, WARM_UP);
    Rate alone = storeAlone(store, EVENTS);
    EventsConfig config =
        new EventsConfig(true, dir.resolve(backend + ".jsonl").toString())
            .withSpoolDir(dir.resolve("spool").toString());
    Rate recorded;
    try (EventRecorder recorder = new EventRecorder(store, config, Clock.systemUTC())) {
      throughRecorder(recorder, WARM_UP);
      recorded = throughRecorder(recorder, EVENTS);
    }
    System.out.printf(
        Locale.ROOT,
        "[bench] event writer on %s: store alone %,.0f events/s (%.1f us CPU/event);"
            + " recorder with file %,.0f events/s (%.1f us CPU/event); load average %.1f%n",
        backend,
        alone.perSecond(),
        alone.cpuMicros(),
        recorded.perSecond(),
        recorded.cpuMicros(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static Rate rate(int n, long startNanos, long startCpu) {
    return new Rate(
        n / ((System.nanoTime() - startNanos) / 1e9), (cpuNanos() - startCpu) / 1e3 / n);
  }

  private static Rate storeAlone(Store store, int n) {
    long cpu = cpuNanos();
    long start = System.nanoTime();
    for (int done = 0; done < n; done += 1000) {
      store.appendRequestEvents("bench-" + IDS.incrementAndGet(), batch(1000));
    }
    return rate(n, start, cpu);
  }

  /** Offers as fast as the writer keeps up (the queue never fills), until all are written. */
  private static Rate throughRecorder(EventRecorder recorder, int n) {
    List<RequestEvent> events = batch(n);
    long before = recorder.written();
    long cpu = cpuNanos();
    long start = System.nanoTime();
    for (RequestEvent e : events) {
      while (recorder.queued() - recorder.written() > 30_000) {
        LockSupport.parkNanos(100_000); // not spinning: the CPU time is the writer's
      }
      recorder.record(e);
    }
    while (recorder.written() - before < n) {
      if (System.nanoTime() - start > MAX_WAIT_NANOS) {
        throw new IllegalStateException("the writer did not write " + n + " events in 5 minutes");
      }
      LockSupport.parkNanos(1_000_000);
    }
    if (recorder.dropped() > 0) {
      throw new IllegalStateException("the benchmark itself overflowed the queue");
    }
    return rate(n, start, cpu);
  }

  private static List<RequestEvent> batch(int n) {
    List<RequestEvent> out = new ArrayList<>(n);
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      long id = IDS.incrementAndGet();
      out.add(
          new RequestEvent(
              now,
              String.format(Locale.ROOT, "bench%015d", id),
              "node-bench",
              "users",
              "GET",
              "/users/" + (id % 1000) + "?api_key=REDACTED",
              id % 10 == 0 ? 401 : 200,
              id % 10 == 0 ? "denied" : "granted",
              id % 10 == 0 ? "key_invalid" : null,
              id % 10 == 0 ? "unknown" : null,
              id % 10 == 0 ? null : "key_" + (id % 5000),
              id % 10 == 0 ? null : "dev_" + (id % 50),
              "198.51.100." + (id % 200),
              "Mozilla/5.0 (X11; Linux x86_64) bench",
              1200 + id % 500,
              900 + id % 300));
    }
    return out;
  }

  private static void execute(String url, String user, @Nullable String password, String sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
