package io.xecure.app;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.EventsConfig;
import io.xecure.config.GatewayConfig;
import io.xecure.events.RequestEvent;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a single node keeps its request events: a DuckDB file beside the H2 store by default, the
 * H2 store itself with {@code events.engine: store}; admin events stay in H2 either way.
 */
class RequestEventsEngineTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void byDefaultRequestEventsLiveInDuckDbBesideTheH2File() throws Exception {
    List<RequestEvent> listed = run(config -> config);

    assertThat(listed).extracting(RequestEvent::path).containsExactly("/users/2", "/users/1");
    assertThat(Files.exists(dir.resolve("db").resolve("events.duckdb"))).isTrue();
    try (JdbcStore h2 = JdbcStore.open("jdbc:h2:file:" + dir.resolve("db/xecure"), null, null)) {
      assertThat(h2.requestEvents(10)).isEmpty();
    }
  }

  @Test
  void withEngineStoreTheyLiveInTheStore() throws Exception {
    List<RequestEvent> listed =
        run(c -> c.withEvents(c.events().withEngine(EventsConfig.Engine.STORE)));

    assertThat(listed).extracting(RequestEvent::path).containsExactly("/users/2", "/users/1");
    assertThat(Files.exists(dir.resolve("db").resolve("events.duckdb"))).isFalse();
    try (JdbcStore h2 = JdbcStore.open("jdbc:h2:file:" + dir.resolve("db/xecure"), null, null)) {
      assertThat(h2.requestEvents(10)).hasSize(2);
    }
  }

  /** Two granted requests through a gateway, then what its store lists, newest first. */
  private List<RequestEvent> run(UnaryOperator<GatewayConfig> adjust) throws Exception {
    try (EchoUpstream upstream = new EchoUpstream();
        GatewayHarness gw =
            new GatewayHarness(
                dir,
                adjust.apply(
                    GatewayHarness.config(dir, List.of(api("users", "/users", upstream.url())))))) {
      Developer ada = gw.developer("ada", DeveloperStatus.ACTIVE);
      String key = gw.issue(ada, List.of("users"), KeyStatus.ACTIVE)[0];
      for (String path : List.of("/users/1", "/users/2")) {
        assertThat(gw.get(path, "X-API-Key", key).statusCode()).isEqualTo(200);
      }
      Eventually.until(
          "both requests are stored", WAIT, () -> gw.gateway().eventStats().written() == 2);
      return gw.gateway().store().requestEvents(10);
    }
  }
}
