package io.xecure.cli;

import io.xecure.app.Gateway;
import io.xecure.app.StartupException;
import io.xecure.config.ConfigException;
import io.xecure.config.ConfigLoader;
import io.xecure.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "serve", description = "Run the gateway with a configuration file.")
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig c;
    try {
      c = ConfigLoader.load(config, System.getenv());
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      return Main.CONFIG_INVALID;
    }
    return Serving.run(
        c,
        gateway -> {
          System.err.println(
              "xecure: gateway on "
                  + c.gateway().bind()
                  + ":"
                  + gateway.gatewayPort()
                  + ", admin API on "
                  + c.admin().bind()
                  + ":"
                  + gateway.adminPort());
          if (gateway.adminTokenGenerated()) {
            // printed once, to the terminal only: on stderr, since stdout is the access log's
            // stream and is often shipped to a log pipeline
            System.err.println("admin token (generated, shown once): " + gateway.adminToken());
          }
        });
  }

  /** Starts gateways, reports where they listen, and blocks until SIGTERM or SIGINT. */
  static final class Serving {
    private Serving() {}

    interface Started {
      void accept(Gateway gateway) throws Exception;
    }

    interface AllStarted {
      void accept(List<Gateway> gateways) throws Exception;
    }

    static int run(GatewayConfig config, Started started) throws InterruptedException {
      return runAll(List.of(config), gateways -> started.accept(gateways.get(0)));
    }

    /**
     * Starts one gateway per config, in order, in this JVM (each a node of its own: its own event
     * loops, store pool, key index and change feed); a start that fails closes the ones started.
     */
    static int runAll(List<GatewayConfig> configs, AllStarted started) throws InterruptedException {
      List<Gateway> gateways = new ArrayList<>();
      try {
        for (GatewayConfig config : configs) {
          gateways.add(Gateway.start(config, Clock.systemUTC()));
        }
      } catch (StartupException e) {
        System.err.println("xecure: " + e.getMessage());
        closeAll(gateways);
        return Main.STARTUP_FAILED;
      }
      CountDownLatch stop = new CountDownLatch(1);
      // Handling the signals ourselves (instead of a shutdown hook) lets a SIGTERM end in a
      // graceful drain and exit status 0, as process supervisors expect of a clean stop.
      for (String name : new String[] {"TERM", "INT"}) {
        Signal.handle(new Signal(name), signal -> stop.countDown());
      }
      try {
        started.accept(List.copyOf(gateways));
      } catch (Exception e) {
        System.err.println("xecure: " + e.getMessage());
        closeAll(gateways);
        return Main.STARTUP_FAILED;
      }
      stop.await();
      System.err.println("xecure: stopping; letting in-flight requests finish");
      closeAll(gateways);
      return 0;
    }

    private static void closeAll(List<Gateway> gateways) {
      for (int i = gateways.size() - 1; i >= 0; i--) {
        gateways.get(i).close();
      }
    }
  }
}
