package io.xecure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.xecure.app.Gateway;
import io.xecure.config.ClusterConfig;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.service.DeveloperPatch;
import io.xecure.store.jdbc.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer suspend racing a patch of its name and email always ends suspended, on H2 and on
 * PostgreSQL: the patch writes only the fields it sets, never the status it read earlier (issue 8,
 * item 8, as {@link ConcurrentKeyWritesTest} shows for keys).
 */
class ConcurrentDeveloperWritesTest {
  private static final int ROUNDS = 20;
  private static final int PAIRS = 10;

  @Test
  void aSuspendRacingAPatchAlwaysEndsSuspendedOnH2(@TempDir Path dir) throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(dir, List.of())) {
      race(nodes.start(TestDatabases.h2Url(dir), new ClusterConfig(null)));
    }
  }

  @Test
  void aSuspendRacingAPatchAlwaysEndsSuspendedOnPostgres(@TempDir Path dir) throws Exception {
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip();
        ClusterNodes nodes = new ClusterNodes(dir, List.of())) {
      race(nodes.start(schema.url(), new ClusterConfig(null)));
    }
  }

  private static void race(Gateway gw) throws Exception {
    var developers = gw.developers();
    for (int round = 0; round < ROUNDS; round++) {
      List<Developer> created = new ArrayList<>();
      for (int i = 0; i < PAIRS; i++) {
        created.add(await(developers.create("test", "Ada " + i, "ada" + i + "@example.com")));
      }
      // each pair at once on the worker pool: suspends and patches interleave
      List<Future<?>> racing = new ArrayList<>();
      for (Developer d : created) {
        racing.add(
            developers.update(
                "test", d.id(), new DeveloperPatch("Renamed", "new@example.com", null)));
        racing.add(
            developers.update(
                "test", d.id(), new DeveloperPatch(null, null, DeveloperStatus.SUSPENDED)));
      }
      Future.all(racing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      for (Developer d : created) {
        assertThat(gw.store().developer(d.id()))
            .as("round %d, developer %s", round, d.id())
            .hasValueSatisfying(
                stored -> {
                  assertThat(stored.status()).isEqualTo(DeveloperStatus.SUSPENDED);
                  assertThat(stored.name()).isEqualTo("Renamed");
                  assertThat(stored.email()).isEqualTo("new@example.com");
                });
        assertThat(gw.index().developer(d.id()))
            .satisfies(x -> assertThat(x.status()).isEqualTo(DeveloperStatus.SUSPENDED));
      }
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
