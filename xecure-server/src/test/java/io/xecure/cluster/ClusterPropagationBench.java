package io.xecure.cluster;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.app.Gateway;
import io.xecure.config.ClusterConfig;
import io.xecure.model.Developer;
import io.xecure.service.IssuedKey;
import io.xecure.service.KeySpec;
import io.xecure.store.ChangeLog;
import io.xecure.store.jdbc.TestDatabases;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/cluster.sh}: three nodes on the machine's PostgreSQL; a key revoked through node A's
 * admin API, then nodes B and C polled until both refuse it; {@code XECURE_BENCH_ROUNDS} times
 * (500), with pushes and with pushes off (poll only, every 2 s). Propagation is measured from
 * sending the revoke to the later of B's and C's first 401. Runs only when {@code
 * XECURE_BENCH_CLUSTER=1}; prints p50, p99 and max, and writes them to {@code
 * target/cluster-bench.txt}.
 */
@EnabledIfEnvironmentVariable(named = "XECURE_BENCH_CLUSTER", matches = "1")
class ClusterPropagationBench {
  private static final Duration GIVE_UP = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void revokePropagation() throws Exception {
    int rounds = Integer.parseInt(System.getenv().getOrDefault("XECURE_BENCH_ROUNDS", "500"));
    List<String> lines = new ArrayList<>();
    lines.add(run("pushes", rounds, new ClusterConfig(null)));
    lines.add(
        run(
            "poll only",
            rounds,
            new ClusterConfig(
                null,
                ClusterConfig.DEFAULT_LIMITER_TIMEOUT,
                ClusterConfig.DEFAULT_KEY_PREFIX,
                ClusterConfig.DEFAULT_POLL_INTERVAL,
                ClusterConfig.DEFAULT_MAX_STALENESS,
                false,
                ClusterConfig.DEFAULT_HEARTBEAT_INTERVAL)));
    lines.forEach(System.out::println);
    Files.write(Path.of("target", "cluster-bench.txt"), lines);
  }

  private String run(String label, int rounds, ClusterConfig config) throws Exception {
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip();
        EchoUpstream upstream = new EchoUpstream();
        ClusterNodes cluster =
            new ClusterNodes(
                Files.createDirectories(dir.resolve(label.replace(' ', '-'))),
                List.of(api("users", "/users", upstream.url())))) {
      Gateway a = cluster.start(schema.url(), config);
      Gateway b = cluster.start(schema.url(), config);
      Gateway c = cluster.start(schema.url(), config);
      Developer dev =
          a.developers()
              .create("bench", "Ada", "ada@example.com")
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      List<IssuedKey> keys = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        keys.add(
            a.keys()
                .issue(
                    "bench",
                    dev.id(),
                    new KeySpec("k", List.of("*"), List.of(), List.of(), null, null))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS));
      }
      long latest = ((ChangeLog) a.store()).latestSequence();
      for (Gateway node : List.of(b, c)) {
        Eventually.await(
            "caught up", () -> node.changeFeed().applier().applied(), s -> s >= latest);
      }
      long[] micros = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        IssuedKey key = keys.get(i);
        assertThat(cluster.status(b, "/users/1", key.plaintext())).isEqualTo(200);
        long start = System.nanoTime();
        var revoked = cluster.admin(a, "POST", "/admin/keys/" + key.key().id() + "/revoke", "{}");
        assertThat(revoked.statusCode()).isEqualTo(200);
        long refusedB = refused(cluster, b, key.plaintext(), start);
        long refusedC = refused(cluster, c, key.plaintext(), start);
        micros[i] = TimeUnit.NANOSECONDS.toMicros(Math.max(refusedB, refusedC) - start);
      }
      Arrays.sort(micros);
      return String.format(
          Locale.ROOT,
          "revoke on A -> refused on B and C, %s, %d rounds: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
          label,
          rounds,
          micros[rounds / 2] / 1000.0,
          micros[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)] / 1000.0,
          micros[rounds - 1] / 1000.0);
    }
  }

  /** When {@code node} first refused the key: polled as fast as it answers, bounded. */
  private static long refused(ClusterNodes cluster, Gateway node, String key, long start)
      throws Exception {
    long deadline = start + GIVE_UP.toNanos();
    while (System.nanoTime() < deadline) {
      if (cluster.status(node, "/users/1", key) == 401) {
        return System.nanoTime();
      }
    }
    throw new AssertionError("not refused within " + GIVE_UP);
  }
}
