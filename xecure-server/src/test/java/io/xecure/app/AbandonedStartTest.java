package io.xecure.app;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xecure.config.GatewayConfig;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key index starts loading as soon as the store is open, beside the rest of the start; a start
 * that fails after that point stops the load with it and leaves the store to the next start.
 */
class AbandonedStartTest {
  @TempDir Path dir;

  @Test
  void aStartThatFailsAfterTheStoreOpenedStopsTheIndexLoadAndTheNextStartServes() throws Exception {
    try (EchoUpstream upstream = new EchoUpstream()) {
      GatewayConfig config =
          GatewayHarness.config(dir, List.of(api("users", "/users", upstream.url())));
      long feedsBefore = feedThreads();
      // the events file is opened after the store: a directory in its place fails the start there
      Path events = Files.createDirectories(dir.resolve("events.jsonl"));

      assertThatThrownBy(() -> Gateway.start(config, Clock.systemUTC()))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("events");
      Eventually.until("the index load stopped", () -> feedThreads() <= feedsBefore);

      Files.delete(events);
      try (GatewayHarness gw = new GatewayHarness(dir, config)) {
        Developer ada = gw.developer("ada", DeveloperStatus.ACTIVE);
        String key = gw.issue(ada, List.of("users"), KeyStatus.ACTIVE)[0];
        assertThat(gw.get("/users/1", "X-API-Key", key).statusCode()).isEqualTo(200);
      }
    }
  }

  private static long feedThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("xecure-change-feed") && t.isAlive())
        .count();
  }
}
