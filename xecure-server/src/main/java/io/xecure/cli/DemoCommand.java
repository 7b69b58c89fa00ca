package io.xecure.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.xecure.app.Gateway;
import io.xecure.config.ConfigException;
import io.xecure.config.ConfigLoader;
import io.xecure.config.GatewayConfig;
import io.xecure.config.PortalConfig;
import io.xecure.demo.SampleUpstream;
import io.xecure.portal.PortalService;
import io.xecure.service.IssuedKey;
import io.xecure.service.KeySpec;
import io.xecure.store.Developer;
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
    description =
        "Start the gateway on an embedded store in front of a built-in sample upstream, with a"
            + " demo developer and key, and print curl lines to try it.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8080", description = "Gateway port (${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--admin-port",
      defaultValue = "8081",
      description = "Admin API port (${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--portal-port",
      defaultValue = "8082",
      description = "Developer portal port (${DEFAULT-VALUE}).")
  int portalPort;

  @Option(
      names = "--data",
      defaultValue = "data/demo",
      description = "Where the demo keeps its store and events (${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() throws Exception {
    Vertx upstreamVertx = Vertx.vertx();
    HttpServer upstream =
        SampleUpstream.start(upstreamVertx, 0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    try {
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

  private String yaml(int upstreamPort) {
    String dir = data.toAbsolutePath().toString().replace("\\", "/");
    return """
        gateway: { port: %d, bind: 127.0.0.1 }
        admin: { port: %d, bind: 127.0.0.1 }
        store: { url: "jdbc:h2:file:%s/xecure" }
        events: { file: "%s/events.jsonl", spool_dir: "%s/spool" }
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
        .formatted(port, adminPort, dir, dir, dir, upstreamPort, upstreamPort);
  }

  private void welcome(Gateway gateway) throws Exception {
    gateway.indexLoaded().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Developer developer =
        await(gateway.developers().create("demo", "Demo Developer", "demo@example.com"));
    IssuedKey issued =
        await(
            gateway
                .keys()
                .issue(
                    "demo",
                    developer.id(),
                    new KeySpec(
                        "demo key",
                        List.of("users", "analytics"),
                        List.of("users:read", "analytics:read"),
                        List.of(),
                        null,
                        null)));
    String key = issued.plaintext();
    await(
        gateway
            .portal()
            .setAllowance(
                "demo",
                developer.id(),
                new Allowance(List.of("users", "analytics"), List.of(), 5, null)));
    String invite =
        gateway.portalUrl()
            + "/invite/"
            + await(gateway.portal().invite("demo", developer.id(), PortalService.INVITATION_TTL))
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
    out.println("  developer      " + developer.name() + " (" + developer.id() + ")");
    out.println("  API key        " + key);
    out.println(
        "  portal         " + gateway.portalUrl() + "   (invitation, single use: " + invite + ")");
    out.println();
    out.println("The key is shown here once; the gateway keeps only its hash. Try:");
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
