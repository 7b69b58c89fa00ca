package io.xecure.cluster;

import io.xecure.app.Gateway;
import io.xecure.config.AdminConfig;
import io.xecure.config.AlertsConfig;
import io.xecure.config.ApiConfig;
import io.xecure.config.ClusterConfig;
import io.xecure.config.EventsConfig;
import io.xecure.config.GatewayConfig;
import io.xecure.config.KeysConfig;
import io.xecure.config.ListenConfig;
import io.xecure.config.RetentionConfig;
import io.xecure.config.StoreConfig;
import io.xecure.policy.bruteforce.BruteForceConfig;
import io.xecure.store.jdbc.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** In-process gateway nodes sharing one PostgreSQL schema, for cluster tests. */
final class ClusterNodes implements AutoCloseable {
  static final String TOKEN = "test-admin-token-0123456789abcdef";

  private final List<Gateway> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path dir;
  private final List<ApiConfig> apis;

  ClusterNodes(Path dir, List<ApiConfig> apis) {
    this.dir = dir;
    this.apis = apis;
  }

  /** A node on {@code jdbcUrl}, loaded. */
  Gateway start(String jdbcUrl, ClusterConfig cluster) throws Exception {
    Path home = dir.resolve("node" + started.size());
    GatewayConfig config =
        new GatewayConfig(
            // off: the tests and the bench present many refused keys from one address
            new ListenConfig(
                0,
                "127.0.0.1",
                List.of(),
                Duration.ofSeconds(5),
                new BruteForceConfig(false, 20, Duration.ofMinutes(1), Duration.ofMinutes(5))),
            new AdminConfig(0, "127.0.0.1", TOKEN),
            new StoreConfig(
                jdbcUrl, TestDatabases.postgresUser(), TestDatabases.postgresPassword()),
            cluster,
            new KeysConfig("xk_", "test-pepper"),
            new EventsConfig(false, home.resolve("events.jsonl").toString())
                .withSpoolDir(home.resolve("spool").toString()),
            Map.of(),
            apis,
            RetentionConfig.DEFAULT,
            AlertsConfig.DEFAULT);
    Gateway gateway = Gateway.start(config, Clock.systemUTC());
    started.add(gateway);
    gateway.indexLoaded().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return gateway;
  }

  /** The status of GET {@code path} on {@code node} with {@code key} in X-API-Key. */
  int status(Gateway node, String path, String key) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.gatewayPort() + path))
            .header("X-API-Key", key)
            .timeout(Duration.ofSeconds(10))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** An admin call on {@code node}; answers the status and body. */
  HttpResponse<String> admin(Gateway node, String method, String path, String json)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(20))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    for (Gateway g : started) {
      g.close();
    }
    started.clear();
  }
}
