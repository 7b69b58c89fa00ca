package io.xecure.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.events.RequestEvent;
import io.xecure.testing.RequestEventBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class UsageAggregatorTest {
  static final Instant M0 = Instant.parse("2026-03-04T10:00:00Z");

  // key_rotated carries the identity of key_old
  private final UsageAggregator usage =
      new UsageAggregator(id -> id.equals("key_rotated") ? "key_old" : id);

  static RequestEvent event(
      Instant t,
      @Nullable String api,
      int status,
      @Nullable String code,
      @Nullable String key,
      @Nullable String developer,
      String ip,
      long latencyMicros) {
    RequestEventBuilder event = RequestEventBuilder.event(t).api(api).path("/").status(status);
    if (code != null) {
      event.denied(status, code, null);
    }
    return event.key(key, developer).clientIp(ip).latencies(latencyMicros, 0).build();
  }

  private static Map<String, UsageCounts> byRow(List<UsageRow> rows) {
    return rows.stream()
        .collect(
            Collectors.toMap(
                r -> r.dimension().wire() + ":" + r.id() + "@" + r.api(),
                UsageRow::counts,
                UsageCounts::plus));
  }

  @Test
  void countsPerKeyDeveloperAndApiWhileTheMinuteIsInProgress() {
    usage.record(event(M0.plusSeconds(1), "users", 200, null, "key_a", "dev_1", "10.0.0.1", 1000));
    usage.record(event(M0.plusSeconds(2), "users", 201, null, "key_a", "dev_1", "10.0.0.2", 3000));
    usage.record(
        event(M0.plusSeconds(3), "users", 403, "insufficient_scope", "key_a", "dev_1", "ip", 10));
    usage.record(event(M0.plusSeconds(4), "users", 401, "key_missing", null, null, "ip", 20));
    usage.record(
        event(M0.plusSeconds(5), "analytics", 502, null, "key_rotated", "dev_1", "10.0.0.3", 70));
    // refused before routing: not counted, but its key (none here) would be touched
    usage.record(event(M0.plusSeconds(6), null, 404, "route_not_found", null, null, "ip", 1));

    // the minute is in progress: its counts so far, and the keys' latest uses (per key)
    UsageAggregator.Drained drained = usage.drain(M0.plusSeconds(59), false);
    assertThat(drained.uses())
        .containsExactlyInAnyOrder(
            new KeyUse("key_a", M0.plusSeconds(3), "ip"),
            new KeyUse("key_rotated", M0.plusSeconds(5), "10.0.0.3"));

    Map<String, UsageCounts> rows = byRow(drained.rows());
    assertThat(rows)
        .containsOnlyKeys(
            "api:users@users",
            "api:analytics@analytics",
            "developer:dev_1@users",
            "developer:dev_1@analytics",
            "key:key_a@users",
            "key:key_old@analytics");
    assertThat(rows.get("api:users@users"))
        .isEqualTo(
            new UsageCounts(
                2, 2, Map.of("insufficient_scope", 1L, "key_missing", 1L), 2, 0, 2, 0, 4030, 3000));
    assertThat(rows.get("key:key_a@users"))
        .isEqualTo(new UsageCounts(2, 1, Map.of("insufficient_scope", 1L), 2, 0, 1, 0, 4010, 3000));
    assertThat(rows.get("key:key_old@analytics")).extracting(UsageCounts::status5xx).isEqualTo(1L);
    assertThat(drained.rows())
        .allSatisfy(r -> assertThat(r.minute()).isEqualTo(M0))
        .filteredOn(r -> r.dimension() != UsageDimension.API)
        .allSatisfy(r -> assertThat(r.developerId()).isEqualTo("dev_1"));
    assertThat(usage.recorded()).isEqualTo(6);

    // the rest of the minute: only what came since, once it has ended
    usage.record(event(M0.plusSeconds(58), "users", 200, null, null, null, "ip", 5));
    UsageAggregator.Drained rest = usage.drain(M0.plusSeconds(60), false);
    assertThat(byRow(rest.rows()))
        .containsOnlyKeys("api:users@users")
        .extractingByKey("api:users@users")
        .isEqualTo(new UsageCounts(1, 0, Map.of(), 1, 0, 0, 0, 5, 5));
    assertThat(rest.uses()).isEmpty(); // taken already, and unused since
    // everything was taken
    assertThat(usage.drain(M0.plusSeconds(600), true))
        .isEqualTo(new UsageAggregator.Drained(List.of(), List.of()));
  }

  @Test
  void theMinuteInProgressGivesWhatItCountedSinceTheLastDrain() {
    usage.record(event(M0.plusSeconds(1), "users", 200, null, "key_a", "dev_1", "ip", 1));
    usage.record(event(M0.plusSeconds(61), "users", 200, null, "key_a", "dev_1", "ip", 1));

    List<UsageRow> first = usage.drain(M0.plusSeconds(90), false).rows();
    usage.record(event(M0.plusSeconds(91), "users", 200, null, "key_a", "dev_1", "ip", 1));
    usage.record(event(M0.plusSeconds(92), "users", 200, null, "key_a", "dev_1", "ip", 1));
    List<UsageRow> second = usage.drain(M0.plusSeconds(95), false).rows();
    List<UsageRow> rest = usage.drain(M0.plusSeconds(95), true).rows();

    assertThat(first).hasSize(6).allSatisfy(r -> assertThat(r.counts().granted()).isEqualTo(1));
    assertThat(first).filteredOn(r -> r.minute().equals(M0)).hasSize(3);
    assertThat(second)
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.minute()).isEqualTo(M0.plusSeconds(60)))
        .allSatisfy(r -> assertThat(r.counts().granted()).isEqualTo(2));
    assertThat(rest).isEmpty();
  }

  @Test
  void anEventForATakenMinuteIsTakenByTheNextDrain() {
    usage.record(event(M0.plusSeconds(1), "users", 200, null, null, null, "ip", 1));
    assertThat(usage.drain(M0.plusSeconds(60), false).rows()).hasSize(1);

    // late (e.g. stamped just before the drain, counted just after)
    usage.record(event(M0.plusSeconds(59), "users", 200, null, null, null, "ip", 1));

    List<UsageRow> late = usage.drain(M0.plusSeconds(70), false).rows();
    assertThat(late).hasSize(1);
    assertThat(late.get(0).minute()).isEqualTo(M0);
    assertThat(late.get(0).counts().granted()).isEqualTo(1);
  }

  @Test
  void aKeyUnusedSinceTheLastDrainIsNotReportedAgainButIsWhenUsedAgain() {
    usage.record(event(M0, "users", 200, null, "key_a", "dev_1", "10.0.0.1", 1));
    assertThat(usage.drain(M0, false).uses()).hasSize(1);
    assertThat(usage.drain(M0, false).uses()).isEmpty(); // forgotten now
    assertThat(usage.drain(M0, false).uses()).isEmpty();

    usage.record(event(M0.plusSeconds(1), "users", 200, null, "key_a", "dev_1", "10.0.0.2", 1));
    // an older event arriving later does not win
    usage.record(event(M0, "users", 200, null, "key_a", "dev_1", "10.0.0.9", 1));

    assertThat(usage.drain(M0, false).uses())
        .containsExactly(new KeyUse("key_a", M0.plusSeconds(1), "10.0.0.2"));
  }

  @Test
  void concurrentRecordingAndDrainingLoseNothing() throws Exception {
    int threads = 4;
    int perThread = 50_000;
    UsageAggregator shared = new UsageAggregator(UnaryOperator.identity());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long[] total = new long[1];
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.execute(
            () -> {
              for (int i = 0; i < perThread; i++) {
                // spread over two minutes, both ended at the drains' now
                Instant at = M0.plusSeconds((i * 120L) / perThread);
                shared.record(
                    event(at, "users", 200, null, "key_" + (i % 7), "dev_" + thread, "ip", 1));
              }
            });
      }
      pool.shutdown();
      while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
        total[0] += apiGranted(shared.drain(M0.plusSeconds(120), false).rows());
      }
    } finally {
      pool.shutdownNow();
    }
    total[0] += apiGranted(shared.drain(M0.plusSeconds(120), false).rows());
    total[0] += apiGranted(shared.drain(M0.plusSeconds(120), true).rows());

    assertThat(total[0]).isEqualTo((long) threads * perThread);
  }

  private static long apiGranted(List<UsageRow> rows) {
    return rows.stream()
        .filter(r -> r.dimension() == UsageDimension.API)
        .mapToLong(r -> r.counts().granted())
        .sum();
  }
}
