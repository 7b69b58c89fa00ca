package io.xecure.cli;

import io.xecure.config.ConfigException;
import io.xecure.config.ConfigLoader;
import io.xecure.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "validate", description = "Check a configuration file and report every problem.")
final class ValidateCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    try {
      GatewayConfig c = ConfigLoader.load(config, System.getenv());
      System.out.println(
          "ok: " + config + " (" + c.apis().size() + " APIs, " + c.plans().size() + " plans)");
      return 0;
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      return Main.CONFIG_INVALID;
    }
  }
}
