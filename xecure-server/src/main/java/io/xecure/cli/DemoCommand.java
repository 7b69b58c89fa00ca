package io.xecure.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.xecure.app.Gateway;
import io.xecure.config.ConfigException;
import io.xecure.config.ConfigLoader;
import io.xecure.config.GatewayConfig;
import io.xecure.config.PortalConfig;
import io.xecure.demo.DemoAccount;
import io.xecure.demo.SampleUpstream;
import io.xecure.portal.PortalService;
import io.xecure.store.PortalStore.Allowance;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the gateway on an embedded store in front of a built-in sample upstream, with a"
          + " demo developer and key, and print curl lines to try it.",
      "With --nodes 2 to 5: a local cluster of that many nodes on PostgreSQL and Redis (in a"
          + " schema of its own), and curl lines that show a key revoked on one node refused by"
          + " the others."
    })
final class DemoCommand implements Callable<Integer> {
  static final int MAX_NODES = 5;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description =
          "Gateway port (${DEFAULT-VALUE}); node i of a cluster listens on this + 2(i-1), 0 for"
              + " any free port.")
  int port;

  @Option(
      names = "--admin-port",
      defaultValue = "8081",
      description =
          "Admin API port (${DEFAULT-VALUE}); node i of a cluster listens on this + 2(i-1), 0 for"
              + " any free port.")
  int adminPort;

  @Option(
      names = "--portal-port",
      defaultValue = "8082",
      description = "Developer portal port (${DEFAULT-VALUE}).")
  int portalPort;

  @Option(
      names = "--data",
      defaultValue = "data/demo",
      description =
          "Where the demo keeps its store, events and demo key (${DEFAULT-VALUE}); a cluster"
              + " keeps its nodes' events and its key under <data>/cluster.")
  Path data;

  @Option(
      names = "--nodes",
      defaultValue = "1",
      description =
          "How many gateway nodes (${DEFAULT-VALUE}); 2 to " + MAX_NODES + " run a local cluster.")
  int nodes;

  @Option(
      names = "--store-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/test",
      description = "Cluster only: the PostgreSQL database (${DEFAULT-VALUE}).")
  String storeUrl;

  @Option(
      names = "--store-user",
      defaultValue = "postgres",
      description = "Cluster only: the PostgreSQL user (${DEFAULT-VALUE}).")
  String storeUser;

  @Option(
      names = "--schema",
      defaultValue = "xecure_demo",
      description =
          "Cluster only: the schema the demo creates and uses, so it never touches other data"
              + " (${DEFAULT-VALUE}); also the prefix of its Redis keys.")
  String schema;

  @Option(
      names = "--redis",
      defaultValue = "redis://127.0.0.1:6379",
      description = "Cluster only: the Redis the nodes share limits through (${DEFAULT-VALUE}).")
  String redis;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || nodes > MAX_NODES) {
      System.err.println("--nodes: must be 1 to " + MAX_NODES + ", got " + nodes);
      return Main.CONFIG_INVALID;
    }
    if (nodes > 1) {
      return new ClusterDemo(this).run();
    }
    Vertx upstreamVertx = Vertx.vertx();
    try {
      HttpServer upstream = startUpstream(upstreamVertx);
      GatewayConfig config =
          ConfigLoader.parse(yaml(upstream.actualPort()), Map.of())
              .withPortal(new PortalConfig(portalPort, "127.0.0.1"));
      return ServeCommand.Serving.run(config, this::welcome);
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      return Main.CONFIG_INVALID;
    } finally {
      upstreamVertx.close();
    }
  }

  static HttpServer startUpstream(Vertx vertx) throws Exception {
    return SampleUpstream.start(vertx, 0)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** The demo's two APIs, both in front of the sample upstream, as a YAML {@code apis:} list. */
  static String apis(int upstreamPort) {
    return """
        apis:
          - name: users
            path: /users
            upstream: http://127.0.0.1:%d
            key_auth: { in: [ "header:X-API-Key", "bearer", "query:api_key" ] }
          - name: analytics
            path: /analytics
            upstream: http://127.0.0.1:%d
            key_auth: { in: [ "header:X-API-Key", "bearer", "query:api_key" ] }
        """
        .formatted(upstreamPort, upstreamPort);
  }

  private String yaml(int upstreamPort) {
    String dir = data.toAbsolutePath().toString().replace("\\", "/");
    return """
        gateway: { port: %d, bind: 127.0.0.1 }
        admin: { port: %d, bind: 127.0.0.1 }
        store: { url: "jdbc:h2:file:%s/xecure" }
        events: { file: "%s/events.jsonl", spool_dir: "%s/spool" }
        """
            .formatted(port, adminPort, dir, dir, dir)
        + apis(upstreamPort);
  }

  private void welcome(Gateway gateway) throws Exception {
    gateway.indexLoaded().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    DemoAccount account = DemoAccount.findOrCreate(gateway, data.resolve("demo-key"));
    String key = account.key();
    await(
        gateway
            .portal()
            .setAllowance(
                "demo",
                account.developer().id(),
                new Allowance(List.of("users", "analytics"), List.of(), 5, null)));
    String invite =
        gateway.portalUrl()
            + "/invite/"
            + await(
                    gateway
                        .portal()
                        .invite("demo", account.developer().id(), PortalService.INVITATION_TTL))
                .token();
    String gw = "http://127.0.0.1:" + gateway.gatewayPort();
    String admin = "http://127.0.0.1:" + gateway.adminPort();
    String token = gateway.adminToken();
    PrintStream out = System.out;
    out.println();
    out.println("XecureAPI Gateway demo is running.");
    out.println();
    out.println("  gateway        " + gw + "   (APIs: /users, /analytics)");
    out.println(
        "  admin API      " + admin + "/admin   (OpenAPI: " + admin + "/admin/openapi.json)");
    out.println("  admin token    " + token);
    out.println(
        "  developer      " + account.developer().name() + " (" + account.developer().id() + ")");
    out.println("  API key        " + key);
    out.println(
        "  portal         " + gateway.portalUrl() + "   (invitation, single use: " + invite + ")");
    out.println();
    out.println(
        "The gateway keeps only the key's hash; the demo keeps the key in "
            + data.resolve("demo-key")
            + " to show it again next time. Try:");
    out.println();
    out.println("  curl -s " + gw + "/users -H 'X-API-Key: " + key + "'");
    out.println("  curl -s '" + gw + "/analytics?api_key=" + key + "'");
    out.println("  curl -s " + gw + "/users/2 -H 'Authorization: Bearer " + key + "'");
    out.println("  curl -s " + gw + "/users                          # 401 key_missing");
    out.println("  curl -s " + admin + "/admin/keys -H 'Authorization: Bearer " + token + "'");
    out.println("  curl -s " + admin + "/admin/events -H 'Authorization: Bearer " + token + "'");
    out.println();
    out.println("Press Ctrl+C to stop.");
    out.flush();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
