package io.xecure.bench;

import io.xecure.config.EventsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.store.EventFilter;
import io.xecure.store.EventPosition;
import io.xecure.store.StoredEvent;
import io.xecure.store.duck.DuckEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How fast DuckDB answers {@code GET /admin/events} over many request events: fills a fresh file
 * with N events (default 5,000,000: 5,000 keys, one event every 100 µs) and times the lists the
 * admin API asks for, each the best of 5 runs. Run by hand (see {@code bench/README.md}):
 *
 * <pre>
 * java -cp xecure-bench/target/benchmarks.jar io.xecure.bench.DuckEventQueries 5000000
 * </pre>
 */
public final class DuckEventQueries {
  private static final int BATCH = 10_000;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private DuckEventQueries() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    Path dir = Files.createTempDirectory("xecure-duck-queries");
    Path file = dir.resolve("events.duckdb");
    try (DuckEventStore store =
        DuckEventStore.open(file, EventsConfig.DEFAULT_DUCKDB_MEMORY_LIMIT)) {
      long start = System.nanoTime();
      for (int from = 0; from < n; from += BATCH) {
        store.appendRequestEvents("fill-" + from, events(from, Math.min(BATCH, n - from)));
      }
      System.out.printf(
          Locale.ROOT,
          "[bench] filled %,d events in %.1f s, file %,d bytes%n",
          n,
          (System.nanoTime() - start) / 1e9,
          Files.size(file));
      Instant middle = T0.plusNanos(100_000L * n / 2);
      EventFilter key = filter(null, "key_42", null, null);
      // inside the column's min and max, so no row group is skipped by its statistics
      EventFilter rareKey = filter(null, "key_2500x", null, null);
      EventFilter denied = filter("denied", null, null, null);
      EventFilter hour = filter(null, null, middle, middle.plusSeconds(3600));
      time("newest 50", () -> store.requestEvents(EventFilter.ALL, null, 50));
      time("key filter, newest 50", () -> store.requestEvents(key, null, 50));
      time("key filter matching nothing", () -> store.requestEvents(rareKey, null, 50));
      time("denied, newest 50", () -> store.requestEvents(denied, null, 50));
      time("one hour in the middle, 50", () -> store.requestEvents(hour, null, 50));
      EventPosition deep = new EventPosition(middle, Long.MAX_VALUE);
      time("key filter, page after the middle", () -> store.requestEvents(key, deep, 50));
    }
  }

  private static EventFilter filter(
      @Nullable String outcome,
      @Nullable String keyId,
      @Nullable Instant from,
      @Nullable Instant to) {
    return new EventFilter(outcome, null, null, keyId, null, null, null, null, from, to);
  }

  private static void time(String what, Supplier<List<StoredEvent<RequestEvent>>> query) {
    long best = Long.MAX_VALUE;
    int rows = 0;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      rows = query.get().size();
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.printf(Locale.ROOT, "[bench] %-36s %3d rows in %6.1f ms%n", what, rows, best / 1e6);
  }

  private static List<RequestEvent> events(int from, int count) {
    List<RequestEvent> out = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      boolean denied = i % 10 == 0;
      out.add(
          new RequestEvent(
              T0.plusNanos(100_000L * i),
              String.format(Locale.ROOT, "req%015d", i),
              "node-bench",
              "users",
              "GET",
              "/users/" + (i % 1000),
              denied ? 401 : 200,
              denied ? "denied" : "granted",
              denied ? "key_invalid" : null,
              denied ? "unknown" : null,
              denied ? null : "key_" + (i % 5000),
              denied ? null : "dev_" + (i % 50),
              "198.51.100." + (i % 200),
              "Mozilla/5.0 (X11; Linux x86_64) bench",
              1200 + i % 500,
              900 + i % 300));
    }
    return out;
  }
}
