package io.xecure.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
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
      OperatorCommand.class,
      EventsCommand.class,
      UsageCommand.class,
      AlertsCommand.class,
      NodesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** Exit code for invalid configuration. */
  static final int CONFIG_INVALID = 2;

  /** Exit code for a start-up failure (busy port, unreachable store). */
  static final int STARTUP_FAILED = 1;

  public static void main(String[] args) {
    String logFormat = System.getenv("XECURE_LOG_FORMAT");
    if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
      // checked before anything logs: logback.xml would otherwise find no appender and log nothing
      System.err.println("XECURE_LOG_FORMAT: must be text or json, got \"" + logFormat + "\"");
      System.exit(CONFIG_INVALID);
    }
    int status = run(args);
    // flushes the access log's queue: a clean stop loses no line
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
      logging.stop();
    }
    System.exit(status);
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
