package io.xecure.cli;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xecure alerts ...}: anomalies raised by the gateway, listed and acknowledged. */
@Command(
    name = "alerts",
    aliases = "alert",
    mixinStandardHelpOptions = true,
    description =
        "List and acknowledge alerts (brute force, spikes, shared or leaked keys, quotas).")
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class AlertsCommand {
  static final List<String> HEADING =
      List.of("ID", "STATUS", "TYPE", "SUBJECT", "COUNT", "LAST_SEEN", "DETAIL");

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List alerts, newest first.")
  int list(
      @Mixin AdminClient admin,
      @Mixin PageOptions page,
      @Option(names = "--status", description = "open or acknowledged") @Nullable String status,
      @Option(names = "--type", description = "e.g. brute_force, key_leaked")
          @Nullable String type) {
    return admin.run(
        () -> {
          String query = page.query("status", status, "type", type);
          admin.printPage(admin.get("/admin/alerts" + query).body(), HEADING, AlertsCommand::cells);
          return 0;
        });
  }

  @Command(
      name = "ack",
      mixinStandardHelpOptions = true,
      description = "Acknowledge an alert: the next occurrence opens a new one.")
  int ack(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return admin.run(
        () -> {
          String path = "/admin/alerts/" + AdminClient.segment(id) + "/ack";
          admin.print(
              admin.send("POST", path, "{}").body(),
              a -> "acknowledged " + a.getString("id") + " by " + a.getString("acked_by"));
          return 0;
        });
  }

  static List<String> cells(JsonObject a) {
    return List.of(
        AdminClient.cell(a.getValue("id")),
        AdminClient.cell(a.getValue("status")),
        AdminClient.cell(a.getValue("type")),
        AdminClient.cell(a.getValue("subject")),
        AdminClient.cell(a.getValue("count")),
        AdminClient.cell(a.getValue("last_seen")),
        AdminClient.cell(a.getValue("detail")));
  }
}
