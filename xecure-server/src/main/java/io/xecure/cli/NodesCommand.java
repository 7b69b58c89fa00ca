package io.xecure.cli;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xecure nodes}: the gateway nodes sharing the database, as {@code GET /admin/nodes}. */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description = {
      "List the gateway nodes sharing the database: where each serves, its version, its last",
      "heartbeat, the last change it applied and its lag, its keys, and what it reaches."
    })
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class NodesCommand implements java.util.concurrent.Callable<Integer> {
  static final List<String> HEADING =
      List.of(
          "ID",
          "ADDRESS",
          "VERSION",
          "LIVE",
          "LAST_HEARTBEAT",
          "APPLIED",
          "LAG",
          "KEYS",
          "POSTGRES",
          "REDIS");

  @SuppressWarnings("NullAway.Init") // injected by picocli before the command runs
  @Mixin
  AdminClient admin;

  @Override
  public Integer call() {
    return admin.run(
        () -> {
          admin.printPage(admin.get("/admin/nodes").body(), HEADING, NodesCommand::cells);
          return 0;
        });
  }

  static List<String> cells(JsonObject node) {
    return List.of(
        AdminClient.cell(node.getValue("id")),
        AdminClient.cell(node.getValue("address")),
        AdminClient.cell(node.getValue("version")),
        Boolean.TRUE.equals(node.getValue("live")) ? "yes" : "no",
        AdminClient.cell(node.getValue("last_heartbeat")),
        AdminClient.cell(node.getValue("applied_sequence")),
        AdminClient.cell(node.getValue("lag")),
        AdminClient.cell(node.getValue("key_count")),
        AdminClient.cell(node.getValue("postgres")),
        AdminClient.cell(node.getValue("redis")));
  }
}
