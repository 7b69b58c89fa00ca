package io.xecure.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.xecure.events.RequestEvent;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyHash;
import io.xecure.testing.ApiKeyRecordBuilder;
import io.xecure.testing.MemoryStore;
import io.xecure.testing.MutableClock;
import io.xecure.testing.RequestEventBuilder;
import io.xecure.usage.UsageAggregator;
import io.xecure.usage.UsageDimension;
import io.xecure.usage.UsageRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The flusher writes what each minute counted so far (the one in progress too) and last uses, keeps
 * what a failing store refused, and at close everything.
 */
class UsageFlusherTest {
  static final Instant M0 = Instant.parse("2026-03-04T10:00:00Z");

  private final Vertx vertx = Vertx.vertx();
  private final MemoryStore store = new MemoryStore();
  private final MutableClock clock = new MutableClock(M0.plusSeconds(30));
  private final UsageAggregator usage = new UsageAggregator(UnaryOperator.identity());
  private final UsageFlusher flusher = new UsageFlusher(vertx, store, usage, clock);

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void writesEachMinuteAsItGoesRetriesAfterAFailureAndEverythingAtClose() {
    store.insertDeveloper(
        new Developer("dev_1", "Ada", "ada@example.com", DeveloperStatus.ACTIVE, M0), null);
    store.insertKey(key("key_1", "dev_1"), null);
    usage.record(event(M0.plusSeconds(10), "10.0.0.1"));

    // the minute is in progress: its usage so far (key, developer, API) and the key's last use
    assertThat(flusher.flush()).isEqualTo(3);
    assertThat(store.key("key_1").orElseThrow().lastUsedAt()).isEqualTo(M0.plusSeconds(10));
    assertThat(flusher.flush()).isZero(); // nothing new

    store.failing(true);
    usage.record(event(M0.plusSeconds(40), "10.0.0.1"));
    clock.advance(Duration.ofSeconds(60));
    usage.record(event(M0.plusSeconds(70), "10.0.0.2"));
    assertThat(flusher.flush()).isZero(); // refused: kept

    store.failing(false);
    clock.advance(Duration.ofSeconds(60));
    assertThat(flusher.flush()).isEqualTo(6); // minutes 0 and 1, three rows each
    assertThat(store.key("key_1").orElseThrow().lastUsedIp()).isEqualTo("10.0.0.2");

    usage.record(event(M0.plusSeconds(125), "10.0.0.3"));
    flusher.close();
    assertThat(flusher.flush()).isZero(); // closed

    Map<UsageRow.Key, UsageRow> rows = store.usageRows();
    assertThat(rows).hasSize(9);
    assertThat(
            rows.values().stream()
                .filter(r -> r.dimension() == UsageDimension.KEY)
                .mapToLong(r -> r.counts().granted())
                .sum())
        .isEqualTo(4);
    assertThat(flusher.writtenRows()).isEqualTo(12);
    assertThat(flusher.droppedRows()).isZero();
  }

  static RequestEvent event(Instant t, String ip) {
    return RequestEventBuilder.event(t)
        .node("n")
        .key("key_1", "dev_1")
        .clientIp(ip)
        .latencies(1000, 900)
        .build();
  }

  static ApiKeyRecord key(String id, String developer) {
    return ApiKeyRecordBuilder.key(id, developer)
        .name("test")
        .secret("abcd1234", KeyHash.of(new byte[32]))
        .createdAt(M0)
        .apis("users")
        .build();
  }
}
