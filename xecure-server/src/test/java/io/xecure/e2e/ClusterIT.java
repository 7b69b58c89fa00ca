package io.xecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.store.jdbc.TestDatabases;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged gateway processes on one PostgreSQL (SPEC §8): a key issued and then revoked
 * through one node's admin API is served and then refused by the other two within the bound, and
 * every node lists the three. Skipped without PostgreSQL (failed with {@code
 * XECURE_REQUIRE_SERVICES=1}).
 */
class ClusterIT {
  private static final Duration BOUND = Duration.ofSeconds(2);

  @TempDir Path dir;

  @Test
  void aKeyIssuedAndRevokedOnOneProcessIsServedAndRefusedByTheOthers() throws Exception {
    String token = ConfigFiles.token();
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip();
        EchoUpstream upstream = new EchoUpstream()) {
      List<XecureProcess> processes = new ArrayList<>();
      List<int[]> ports = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          int port = XecureProcess.freePort();
          int adminPort = XecureProcess.freePort();
          Path home = Files.createDirectories(dir.resolve("node" + i));
          Path config = config(home, port, adminPort, schema.url(), upstream.url());
          processes.add(
              XecureProcess.start(
                  home,
                  "serve",
                  Map.of("XECURE_ADMIN_TOKEN", token),
                  "serve",
                  "--config",
                  config.toString()));
          ports.add(new int[] {port, adminPort});
        }
        for (int i = 0; i < 3; i++) {
          processes.get(i).awaitHealthy(ports.get(i)[1], Duration.ofSeconds(60));
        }
        Admin a = new Admin(ports.get(0)[1], token);
        String developer = a.createDeveloper("ada").getString("id");
        JsonObject issued = a.issueKey(developer, "k");
        String key = issued.getString("key");
        for (int i = 1; i < 3; i++) {
          int port = ports.get(i)[0];
          Eventually.await("served on node " + i, BOUND, () -> status(port, key), s -> s == 200);
        }

        a.revoke(issued.getString("id"));
        for (int i = 1; i < 3; i++) {
          int port = ports.get(i)[0];
          Eventually.await("refused on node " + i, BOUND, () -> status(port, key), s -> s == 401);
        }

        Admin c = new Admin(ports.get(2)[1], token);
        JsonArray nodes =
            Eventually.await(
                "three live nodes",
                () -> new JsonObject(c.get("/admin/nodes").body()).getJsonArray("items"),
                items ->
                    items.stream().filter(n -> ((JsonObject) n).getBoolean("live")).count() == 3);
        assertThat(nodes).hasSize(3);
      } finally {
        for (XecureProcess p : processes) {
          p.close();
        }
      }
    }
  }

  private static Path config(Path home, int port, int adminPort, String url, String upstream)
      throws Exception {
    String data = home.resolve("data").toAbsolutePath().toString();
    String yaml =
        """
        gateway: { port: %d, bind: 127.0.0.1, shutdown_grace: 2s }
        admin: { port: %d, bind: 127.0.0.1, token: "${XECURE_ADMIN_TOKEN}" }
        store: { url: "%s", user: "%s" }
        cluster: { heartbeat_interval: 1s }
        events: { file: "%s/events.jsonl", spool_dir: "%s/spool" }
        keys: { prefix: "xk_", pepper: "e2e-pepper-4b1d0c7e9a" }
        apis:
          - name: echo
            path: /echo
            upstream: %s
        """
            .formatted(port, adminPort, url, TestDatabases.postgresUser(), data, data, upstream);
    Path file = home.resolve("xecure.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static int status(int port, String key) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo/x"))
            .header("X-API-Key", key)
            .timeout(Duration.ofSeconds(5))
            .build();
    return XecureProcess.HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
