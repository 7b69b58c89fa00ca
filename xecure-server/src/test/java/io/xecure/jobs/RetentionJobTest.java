package io.xecure.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.xecure.config.RetentionConfig;
import io.xecure.events.RequestEvent;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import io.xecure.testing.MutableClock;
import io.xecure.testing.RequestEventBuilder;
import io.xecure.usage.UsageCounts;
import io.xecure.usage.UsageDimension;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a real (H2) store: what is past each retention goes, the rest stays. */
class RetentionJobTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @SuppressWarnings("NullAway.Init") // injected by JUnit
  @TempDir
  Path dir;

  @SuppressWarnings("NullAway.Init") // set before each test
  private JdbcStore store;

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(NOW);

  @BeforeEach
  void open() {
    store = JdbcStore.open(TestDatabases.h2Url(dir), null, null);
  }

  @AfterEach
  void close() {
    store.close();
    vertx.close();
  }

  @Test
  void deletesUsagePastItsRetentionAndLeavesEventsToTheRecorder() {
    store.appendRequestEvents(
        List.of(
            event(NOW.minus(Duration.ofDays(31)), "old"),
            event(NOW.minus(Duration.ofDays(29)), "recent")));
    store.addUsage(
        List.of(
            row(NOW.minus(Duration.ofDays(401))),
            row(NOW.minus(Duration.ofDays(399))),
            row(NOW.minus(Duration.ofDays(31)))));
    RetentionJob job = new RetentionJob(vertx, store, RetentionConfig.DEFAULT, clock);

    // the three minutes (past 7 days), the hours of 401 and 399 days ago (past 60), one day
    assertThat(job.run()).isEqualTo(new RetentionJob.Deleted(3 + 2 + 1));
    assertThat(usageRows()).isEqualTo(2);

    clock.advance(Duration.ofDays(2));
    assertThat(job.run()).isEqualTo(new RetentionJob.Deleted(1));
    assertThat(usageRows()).isEqualTo(1);
    assertThat(job.run()).isEqualTo(new RetentionJob.Deleted(0));
    assertThat(store.requestEvents(10)).hasSize(2);
  }

  @Test
  void startedItDeletesOnItsOwnAfterTheFirstDelay() throws InterruptedException {
    store.addUsage(List.of(row(NOW.minus(Duration.ofDays(401)))));
    RetentionJob job = new RetentionJob(vertx, store, RetentionConfig.DEFAULT, clock);

    job.start(Duration.ofMillis(20));

    // the minute, the hour and the day of 401 days ago
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (usageRows() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    job.close();
    assertThat(usageRows()).isZero();
  }

  @Test
  void theFirstRunComesAfterTheStartsWarmUpAndNotAtTheSameTimeOnEveryNode() {
    Random random = new Random(7);
    Set<Duration> draws = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      Duration first = RetentionJob.firstRun(random);
      assertThat(first).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(20));
      draws.add(first);
    }
    // ten nodes started together would not run together
    assertThat(draws).hasSizeGreaterThan(990);
  }

  @Test
  void largeBacklogsGoInChunks() {
    List<UsageRow> rows =
        java.util.stream.IntStream.range(0, RetentionJob.CHUNK * 2 + 7)
            .mapToObj(i -> row(NOW.minus(Duration.ofDays(500)).plus(Duration.ofMinutes(i))))
            .toList();
    store.addUsage(rows);
    RetentionJob job = new RetentionJob(vertx, store, RetentionConfig.DEFAULT, clock);

    long hours = rows.stream().map(r -> UsageInterval.HOUR.floor(r.minute())).distinct().count();
    long days = rows.stream().map(r -> UsageInterval.DAY.floor(r.minute())).distinct().count();
    assertThat(job.run().usage()).isEqualTo(RetentionJob.CHUNK * 2 + 7 + hours + days);
  }

  private long usageRows() {
    return store
        .usage(
            new UsageQuery(
                UsageDimension.API,
                UsageInterval.DAY,
                // on day boundaries, as the admin API asks: the days outlive the minutes
                UsageInterval.DAY.floor(NOW.minus(Duration.ofDays(600))),
                UsageInterval.DAY.floor(NOW.plus(Duration.ofDays(1))),
                null,
                null,
                null,
                10))
        .series()
        .stream()
        .mapToLong(s -> s.points().size())
        .sum();
  }

  private static UsageRow row(Instant minute) {
    return new UsageRow(
        UsageDimension.API,
        "users",
        "users",
        null,
        UsageInterval.MINUTE.floor(minute),
        new UsageCounts(1, 0, Map.of(), 1, 0, 0, 0, 10, 10));
  }

  private static RequestEvent event(Instant t, String id) {
    return RequestEventBuilder.event(t).requestId(id).node("n").latencies(1, 1).build();
  }
}
