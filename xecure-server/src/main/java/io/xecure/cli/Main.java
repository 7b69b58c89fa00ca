package io.xecure.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code xecure} command line. */
@Command(
    name = "xecure",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "XecureAPI Gateway: an HTTP API gateway built around API keys.",
    subcommands = {
      ServeCommand.class,
      ValidateCommand.class,
      DemoCommand.class,
      DeveloperCommand.class,
      KeyCommand.class,
      ApiCommand.class,
      PlanCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** Exit code for invalid configuration. */
  static final int CONFIG_INVALID = 2;

  /** Exit code for a start-up failure (busy port, unreachable store). */
  static final int STARTUP_FAILED = 1;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The whole command line; tests give it their own out and err writers. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"xecure " + (v == null ? "dev" : v)};
    }
  }
}
