package io.xecure.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.xecure.app.AdminTokens;
import io.xecure.app.Gateway;
import io.xecure.config.ConfigException;
import io.xecure.config.ConfigLoader;
import io.xecure.config.GatewayConfig;
import io.xecure.demo.DemoAccount;
import io.xecure.demo.DemoServices;
import io.xecure.keys.IndexedKey;
import io.xecure.model.KeyStatus;
import io.xecure.service.IssuedKey;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code xecure demo --nodes N}: N gateway nodes in this JVM, each a whole node (its own event
 * loops, store pool, key index, change feed and node id), on one PostgreSQL schema and one Redis,
 * in front of one sample upstream. Both services are asked before anything starts; the demo's
 * developer and key are found again on a restart, and a fresh "cluster tour" key is issued for the
 * printed walkthrough to revoke.
 */
final class ClusterDemo {
  /** How long the demo waits for every node to hold the keys it prints (normally ~100 ms). */
  private static final Duration PROPAGATION = Duration.ofSeconds(10);

  private final DemoCommand options;

  ClusterDemo(DemoCommand options) {
    this.options = options;
  }

  int run() throws Exception {
    if (!options.storeUrl.startsWith("jdbc:postgresql:")) {
      System.err.println(
          "--store-url: a cluster's nodes share one PostgreSQL: must start with jdbc:postgresql:");
      return Main.CONFIG_INVALID;
    }
    if (!DemoServices.SCHEMA.matcher(options.schema).matches()) {
      System.err.println(
          "--schema: must be 1 to 63 characters of a-z, 0-9 and _, not starting with a digit, got "
              + options.schema);
      return Main.CONFIG_INVALID;
    }
    Vertx vertx = Vertx.vertx();
    try {
      List<String> missing = new ArrayList<>();
      String postgres =
          DemoServices.preparePostgres(options.storeUrl, options.storeUser, options.schema);
      if (postgres != null) {
        missing.add(postgres);
      }
      String redis = DemoServices.checkRedis(vertx, options.redis);
      if (redis != null) {
        missing.add(redis);
      }
      if (!missing.isEmpty()) {
        missing.forEach(System.err::println);
        return Main.STARTUP_FAILED;
      }
      HttpServer upstream = DemoCommand.startUpstream(vertx);
      String token = AdminTokens.generate();
      List<GatewayConfig> configs = new ArrayList<>();
      for (int i = 0; i < options.nodes; i++) {
        configs.add(ConfigLoader.parse(yaml(i, upstream.actualPort(), token), Map.of()));
      }
      return ServeCommand.Serving.runAll(configs, this::welcome);
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      return Main.CONFIG_INVALID;
    } finally {
      vertx.close();
    }
  }

  private Path home() {
    return options.data.resolve("cluster");
  }

  /** Node {@code i} (from 0): ports in pairs from the given ones, its own events and spool. */
  private String yaml(int i, int upstreamPort, String token) {
    String dir = home().resolve("node" + (i + 1)).toAbsolutePath().toString().replace("\\", "/");
    return """
        gateway: { port: %d, bind: 127.0.0.1, shutdown_grace: 5s }
        admin: { port: %d, bind: 127.0.0.1, token: %s }
        store: { url: %s, user: %s }
        cluster: { redis: %s, key_prefix: %s }
        events: { file: %s, spool_dir: %s }
        """
            .formatted(
                port(options.port, i),
                port(options.adminPort, i),
                Json.encode(token),
                Json.encode(DemoServices.withSchema(options.storeUrl, options.schema)),
                Json.encode(options.storeUser),
                Json.encode(options.redis),
                Json.encode(options.schema + ":"),
                Json.encode(dir + "/events.jsonl"),
                Json.encode(dir + "/spool"))
        + DemoCommand.apis(upstreamPort);
  }

  private static int port(int first, int node) {
    return first == 0 ? 0 : first + 2 * node;
  }

  private void welcome(List<Gateway> nodes) throws Exception {
    for (Gateway node : nodes) {
      node.indexLoaded().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    Gateway first = nodes.get(0);
    Path keyFile = home().resolve("demo-key");
    DemoAccount account = DemoAccount.findOrCreate(first, keyFile);
    IssuedKey tour = account.issueTourKey(first);
    // printed lines must work when pasted at once: wait until every node holds both keys
    awaitEverywhere(nodes, account.key());
    awaitEverywhere(nodes, tour.plaintext());
    print(nodes, account, tour, keyFile);
  }

  private static void awaitEverywhere(List<Gateway> nodes, String key) throws Exception {
    long deadline = System.nanoTime() + PROPAGATION.toNanos();
    for (int i = 0; i < nodes.size(); i++) {
      Gateway node = nodes.get(i);
      while (!active(node, key)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "node " + (i + 1) + " did not receive the demo keys within " + PROPAGATION);
        }
        Thread.sleep(20);
      }
    }
  }

  private static boolean active(Gateway node, String key) {
    IndexedKey k = node.index().get(node.hasher().hash(key));
    return k != null && k.status() == KeyStatus.ACTIVE;
  }

  private void print(List<Gateway> nodes, DemoAccount account, IssuedKey tour, Path keyFile) {
    String key = account.key();
    String tourKey = tour.plaintext();
    String token = nodes.get(0).adminToken();
    String auth = " -H 'Authorization: Bearer " + token + "'";
    int last = nodes.size();
    PrintStream out = System.out;
    out.println();
    out.println(
        "XecureAPI Gateway demo cluster is running: "
            + nodes.size()
            + " nodes on PostgreSQL (schema "
            + options.schema
            + ") and Redis.");
    out.println();
    for (int i = 1; i <= nodes.size(); i++) {
      Gateway node = nodes.get(i - 1);
      out.println(
          "  node "
              + i
              + "         gateway "
              + gateway(nodes, i)
              + "   admin API "
              + admin(nodes, i)
              + "/admin   ("
              + node.node()
              + ")");
    }
    out.println("  admin token    " + token + "   (the same on every node)");
    out.println(
        "  developer      " + account.developer().name() + " (" + account.developer().id() + ")");
    out.println("  API key        " + key);
    out.println("  tour key       " + tourKey + "   (" + tour.key().id() + ", revoked below)");
    out.println();
    out.println(
        "Every node serves every key. The gateway keeps only hashes; the demo keeps its key in "
            + keyFile
            + " to show it again next time. Try:");
    out.println();
    out.println(curl(gateway(nodes, 1) + "/users", key) + "   # node 1: 200");
    out.println(curl(gateway(nodes, 2) + "/users/2", key) + "   # node 2: 200, the same key");
    out.println(curl(gateway(nodes, last) + "/analytics", tourKey) + "   # node " + last + ": 200");
    out.println();
    out.println(
        "Revoke the tour key through node 1's admin API; the other nodes refuse it at once:");
    out.println();
    out.println(
        "  curl -s -X POST "
            + admin(nodes, 1)
            + "/admin/keys/"
            + tour.key().id()
            + "/revoke"
            + auth);
    for (int i = 2; i <= nodes.size(); i++) {
      out.println(
          curl(gateway(nodes, i) + "/users", tourKey)
              + "   # node "
              + i
              + ": 401 key_invalid (revoked)");
    }
    out.println(
        "  curl -s "
            + admin(nodes, last)
            + "/admin/nodes"
            + auth
            + "   # every node: applied sequence, lag");
    out.println();
    out.println("Press Ctrl+C to stop all nodes.");
    out.flush();
  }

  private static String curl(String url, String key) {
    return "  curl -s " + url + " -H 'X-API-Key: " + key + "'";
  }

  private static String gateway(List<Gateway> nodes, int n) {
    return "http://127.0.0.1:" + nodes.get(n - 1).gatewayPort();
  }

  private static String admin(List<Gateway> nodes, int n) {
    return "http://127.0.0.1:" + nodes.get(n - 1).adminPort();
  }
}
