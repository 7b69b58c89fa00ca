package io.xecure.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xecure developer ...}: developers through the admin API. */
@Command(
    name = "developer",
    aliases = "developers",
    mixinStandardHelpOptions = true,
    description = "Manage developers (API consumers) through the admin API.")
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class DeveloperCommand {
  static final List<String> HEADING = List.of("ID", "STATUS", "NAME", "EMAIL", "CREATED");

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a developer.")
  int create(
      @Mixin AdminClient admin,
      @Option(names = "--name", required = true, description = "display name") String name,
      @Option(names = "--email", required = true, description = "contact email") String email) {
    return admin.run(
        () -> {
          JsonObject body = new JsonObject().put("name", name).put("email", email);
          admin.print(admin.send("POST", "/admin/developers", body.encode()).body(), d -> row(d));
          return 0;
        });
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List developers.")
  int list(@Mixin AdminClient admin, @Mixin PageOptions page) {
    return admin.run(
        () -> {
          String query = page.query();
          admin.printPage(
              admin.get("/admin/developers" + query).body(), HEADING, DeveloperCommand::cells);
          return 0;
        });
  }

  @Command(
      name = "suspend",
      mixinStandardHelpOptions = true,
      description = "Suspend a developer: every key of it is refused (403) until activated.")
  int suspend(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return status(admin, id, "suspended");
  }

  @Command(
      name = "activate",
      mixinStandardHelpOptions = true,
      description = "Activate a suspended developer.")
  int activate(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return status(admin, id, "active");
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a developer and revoke all its keys.")
  int delete(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return admin.run(
        () -> {
          JsonObject result = admin.delete("/admin/developers/" + AdminClient.segment(id)).body();
          admin.print(
              result,
              r ->
                  "deleted "
                      + r.getString("id")
                      + "; revoked "
                      + r.getInteger("revoked_keys", 0)
                      + " keys");
          return 0;
        });
  }

  @Command(
      name = "invite",
      mixinStandardHelpOptions = true,
      description =
          "Invite a developer to the portal: prints a single-use link where it sets its password.")
  int invite(
      @Mixin AdminClient admin,
      @Parameters(paramLabel = "ID") String id,
      @Option(
              names = "--expires-in",
              defaultValue = "72h",
              description = "how long the link works, 1m to 30d (${DEFAULT-VALUE})")
          String expiresIn) {
    return admin.run(
        () -> {
          String path = "/admin/developers/" + AdminClient.segment(id) + "/invitations";
          JsonObject body = new JsonObject().put("expires_in", expiresIn);
          admin.print(
              admin.send("POST", path, body.encode()).body(),
              i ->
                  i.getString("url") + "\n(single use, expires " + i.getString("expires_at") + ")");
          return 0;
        });
  }

  @Command(
      name = "allow",
      mixinStandardHelpOptions = true,
      description = "Set what a developer may create in the portal.")
  int allow(
      @Mixin AdminClient admin,
      @Parameters(paramLabel = "ID") String id,
      @Option(names = "--apis", split = ",", required = true, description = "APIs its keys may use")
          List<String> apis,
      @Option(names = "--scopes", split = ",", description = "scopes its keys may carry")
          @Nullable List<String> scopes,
      @Option(names = "--max-keys", required = true, description = "active keys at most, 0 to 100")
          int maxKeys,
      @Option(names = "--plan", description = "plan of its keys (default: each API's)")
          @Nullable String plan) {
    return admin.run(
        () -> {
          String path = "/admin/developers/" + AdminClient.segment(id) + "/allowance";
          JsonObject body =
              new JsonObject()
                  .put("apis", new JsonArray(apis))
                  .put("scopes", new JsonArray(scopes == null ? List.of() : scopes))
                  .put("max_keys", maxKeys)
                  .put("plan", plan);
          admin.print(
              admin.send("PUT", path, body.encode()).body(),
              a ->
                  "apis "
                      + a.getJsonArray("apis").encode()
                      + ", scopes "
                      + a.getJsonArray("scopes").encode()
                      + ", max_keys "
                      + a.getInteger("max_keys")
                      + ", plan "
                      + a.getString("plan"));
          return 0;
        });
  }

  private static int status(AdminClient admin, String id, String status) {
    return admin.run(
        () -> {
          String path = "/admin/developers/" + AdminClient.segment(id);
          JsonObject body = new JsonObject().put("status", status);
          admin.print(admin.send("PATCH", path, body.encode()).body(), d -> row(d));
          return 0;
        });
  }

  private static String row(JsonObject developer) {
    return AdminClient.table(List.of(HEADING, cells(developer))).stripTrailing();
  }

  static List<String> cells(JsonObject d) {
    return List.of(
        AdminClient.cell(d.getValue("id")),
        AdminClient.cell(d.getValue("status")),
        AdminClient.cell(d.getValue("name")),
        AdminClient.cell(d.getValue("email")),
        AdminClient.cell(d.getValue("created_at")));
  }
}
