package io.xecure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.ClusterConfig;
import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.store.ChangeLog;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import io.xecure.testing.ApiKeyRecordBuilder;
import io.xecure.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@code bench/fanout.sh}: the change feed at the width of a large cluster, in one process. {@code
 * XECURE_BENCH_SUBSCRIBERS} (50) subscribers of one PostgreSQL schema, each with what a node has —
 * its own LISTEN connection, its own {@link ChangeApplier}, {@link ChangeFeed} thread and {@link
 * KeyIndex} — and catch-up reads through one shared pool of the store's size (so reads queue for
 * connections: harsher than 50 nodes with a pool each). A writer revokes a key {@code
 * XECURE_BENCH_ROUNDS} (200) times; each round measures from the commit's start to the moment the
 * last of the subscribers holds the key revoked in its index. Runs only when {@code
 * XECURE_BENCH_FANOUT=1}; prints p50, p99 and max, and writes them to {@code
 * target/fanout-bench.txt}.
 */
@EnabledIfEnvironmentVariable(named = "XECURE_BENCH_FANOUT", matches = "1")
class FeedFanoutBench {
  private static final Duration GIVE_UP = Duration.ofSeconds(10);

  @Test
  void revokeReachesEverySubscriber() throws Exception {
    int subscribers =
        Integer.parseInt(System.getenv().getOrDefault("XECURE_BENCH_SUBSCRIBERS", "50"));
    int rounds = Integer.parseInt(System.getenv().getOrDefault("XECURE_BENCH_ROUNDS", "200"));
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip();
        JdbcStore writer = open(schema);
        JdbcStore reader = open(schema)) {
      Instant now = Instant.now();
      writer.insertDeveloper(
          new Developer("dev_fanout", "Fanout", "fanout@example.com", DeveloperStatus.ACTIVE, now),
          null);
      List<ApiKeyRecord> keys = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        byte[] digest = new byte[32];
        ThreadLocalRandom.current().nextBytes(digest);
        ApiKeyRecord key =
            ApiKeyRecordBuilder.key("key_fanout_" + i, "dev_fanout")
                .secret("xk_fan", KeyHash.ofHex(HexFormat.of().formatHex(digest)))
                .createdAt(now)
                .build();
        writer.insertKey(key, null);
        keys.add(key);
      }
      List<KeyIndex> indexes = new ArrayList<>();
      List<ChangeFeed> feeds = new ArrayList<>();
      try {
        for (int i = 0; i < subscribers; i++) {
          KeyIndex index = new KeyIndex();
          ChangeApplier applier = new ChangeApplier(reader, index, () -> {}, System::nanoTime);
          ChangeFeed feed = new ChangeFeed(applier, reader, new ClusterConfig(null));
          feed.start();
          indexes.add(index);
          feeds.add(feed);
        }
        long latest = ((ChangeLog) writer).latestSequence();
        for (ChangeFeed feed : feeds) {
          Eventually.await("subscriber loaded", () -> feed.applier().applied(), s -> s >= latest);
        }
        long[] micros = new long[rounds];
        for (int i = 0; i < rounds; i++) {
          ApiKeyRecord key = keys.get(i);
          long start = System.nanoTime();
          assertThat(writer.revokeKey(key.id(), null)).isPresent();
          micros[i] = TimeUnit.NANOSECONDS.toMicros(lastToSee(indexes, key, start) - start);
        }
        Arrays.sort(micros);
        String line =
            String.format(
                Locale.ROOT,
                "revoke -> revoked in all %d subscribers' indexes, %d rounds: p50 %.1f ms, p99 %.1f"
                    + " ms, max %.1f ms",
                subscribers,
                rounds,
                micros[rounds / 2] / 1000.0,
                micros[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)] / 1000.0,
                micros[rounds - 1] / 1000.0);
        System.out.println(line);
        Files.write(Path.of("target", "fanout-bench.txt"), List.of(line));
      } finally {
        feeds.forEach(ChangeFeed::close);
      }
    }
  }

  private static JdbcStore open(TestDatabases.PostgresSchema schema) {
    return JdbcStore.open(
        schema.url(), TestDatabases.postgresUser(), TestDatabases.postgresPassword());
  }

  /** When the last index first held {@code key} revoked; polled every 50 µs, bounded. */
  private static long lastToSee(List<KeyIndex> indexes, ApiKeyRecord key, long start) {
    long deadline = start + GIVE_UP.toNanos();
    int next = 0;
    while (System.nanoTime() < deadline) {
      while (next < indexes.size() && revoked(indexes.get(next), key)) {
        next++;
      }
      if (next == indexes.size()) {
        return System.nanoTime();
      }
      LockSupport.parkNanos(50_000);
    }
    throw new AssertionError("subscriber " + next + " did not see the revoke within " + GIVE_UP);
  }

  private static boolean revoked(KeyIndex index, ApiKeyRecord key) {
    var entry = index.get(key.hash());
    return entry == null || entry.status() == KeyStatus.REVOKED;
  }
}
