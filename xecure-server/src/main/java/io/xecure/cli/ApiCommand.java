package io.xecure.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xecure api ...}: the routing table at run time. {@code get} prints an API as JSON in the
 * configuration file's shape, which {@code put --file} takes back: get, edit, put.
 */
@Command(
    name = "api",
    aliases = "apis",
    mixinStandardHelpOptions = true,
    description = {
      "Read and change APIs at run time through the admin API.",
      "Changes apply at once, without a restart, and are kept in the store until the",
      "configuration file's own definition of that API changes."
    })
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class ApiCommand {
  static final List<String> HEADING = List.of("NAME", "PATH", "UPSTREAM", "PLAN", "CORS");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the APIs.")
  int list(@Mixin AdminClient admin) {
    return admin.run(
        () -> {
          admin.printPage(admin.get("/admin/apis").body(), HEADING, ApiCommand::cells);
          return 0;
        });
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print one API as JSON, in the shape `put --file` takes.")
  int get(@Mixin AdminClient admin, @Parameters(paramLabel = "NAME") String name) {
    return admin.printJson(path(name));
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Create or replace an API from a JSON file (one API, as `get` prints it).")
  int put(
      @Mixin AdminClient admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--file", required = true, description = "the API as JSON") Path file) {
    return admin.putJsonFile(path(name), file, "api " + name);
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete an API: requests to its path answer 404 at once.")
  int delete(@Mixin AdminClient admin, @Parameters(paramLabel = "NAME") String name) {
    return admin.run(
        () -> {
          admin.print(admin.delete(path(name)).body(), r -> "api " + name + " deleted");
          return 0;
        });
  }

  private static String path(String name) {
    return "/admin/apis/" + AdminClient.segment(name);
  }

  static List<String> cells(JsonObject api) {
    JsonObject cors = api.getJsonObject("cors");
    return List.of(
        AdminClient.cell(api.getValue("name")),
        AdminClient.cell(api.getValue("path")),
        AdminClient.cell(api.getValue("upstream")),
        AdminClient.cell(api.getValue("default_plan")),
        cors == null ? "-" : AdminClient.cell(cors.getValue("origins")));
  }
}
