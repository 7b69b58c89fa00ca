package io.xecure.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xecure plan ...}: plans at run time; like {@link ApiCommand}, get, edit, put. */
@Command(
    name = "plan",
    aliases = "plans",
    mixinStandardHelpOptions = true,
    description = {
      "Read and change plans at run time through the admin API.",
      "Changes apply at once to every API and key on the plan, and are kept in the store",
      "until the configuration file's own definition of that plan changes."
    })
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class PlanCommand {
  static final List<String> HEADING = List.of("NAME", "RATE", "QUOTA", "LIMIT_BY");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the plans.")
  int list(@Mixin AdminClient admin) {
    return admin.run(
        () -> {
          admin.printPage(admin.get("/admin/plans").body(), HEADING, PlanCommand::cells);
          return 0;
        });
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print one plan as JSON, in the shape `put --file` takes.")
  int get(@Mixin AdminClient admin, @Parameters(paramLabel = "NAME") String name) {
    return admin.printJson(path(name));
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Create or replace a plan from a JSON file (one plan, as `get` prints it).")
  int put(
      @Mixin AdminClient admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--file", required = true, description = "the plan as JSON") Path file) {
    return admin.putJsonFile(path(name), file, "plan " + name);
  }

  private static String path(String name) {
    return "/admin/plans/" + AdminClient.segment(name);
  }

  static List<String> cells(JsonObject plan) {
    return List.of(
        AdminClient.cell(plan.getValue("name")),
        limit(plan.getJsonObject("rate")),
        limit(plan.getJsonObject("quota")),
        AdminClient.cell(plan.getValue("limit_by")));
  }

  /** {@code 10/1s}, {@code 10000/month}, or "-". */
  private static String limit(@org.jspecify.annotations.Nullable JsonObject limit) {
    return limit == null ? "-" : limit.getValue("limit") + "/" + limit.getValue("per");
  }
}
