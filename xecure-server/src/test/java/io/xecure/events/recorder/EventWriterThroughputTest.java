package io.xecure.events.recorder;

import io.xecure.config.EventsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.store.Store;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many request events per second the writer sustains into each store: printed, not asserted (a
 * shared machine makes any threshold flaky). Two figures per store: the store alone ({@code
 * appendRequestEvents} of 1000-event batches, one thread) and the whole recorder (queue, file and
 * store, offered as fast as the writer takes them).
 */
class EventWriterThroughputTest {
  private static final int WARM_UP = 100_000;
  private static final int EVENTS = 50_000;
  private static final AtomicLong IDS = new AtomicLong();

  @TempDir Path dir;

  @Test
  void h2() throws Exception {
    try (JdbcStore store = JdbcStore.open(TestDatabases.h2Url(dir), null, null)) {
      measure("H2", store);
    }
  }

  @Test
  void postgres() throws Exception {
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip();
        JdbcStore store = schema.open()) {
      measure("PostgreSQL", store);
    }
  }

  /** Rate in events per wall-clock second and this JVM's CPU microseconds per event. */
  private record Rate(double perSecond, double cpuMicros) {}

  private void measure(String backend, Store store) throws Exception {
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
  private static Rate throughRecorder(EventRecorder recorder, int n) throws Exception {
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
      Thread.sleep(1);
    }
    if (recorder.dropped() > 0) {
      throw new AssertionError("the benchmark itself overflowed the queue");
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
}
