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

/**
 * {@code xecure key ...} (also {@code keys}): keys through the admin API. A plaintext key is
 * printed once, by the command that creates it ({@code create}, {@code rotate}), and never again.
 */
@Command(
    name = "key",
    aliases = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage API keys through the admin API.",
    subcommands = {KeysImportCommand.class})
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class KeyCommand {
  static final List<String> HEADING =
      List.of("ID", "STATUS", "DEVELOPER", "PREFIX", "NAME", "APIS", "SCOPES", "PLAN", "EXPIRES");

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Issue a key; its plaintext is printed this once.")
  int create(
      @Mixin AdminClient admin,
      @Option(names = "--developer", required = true, description = "developer id (dev_...)")
          String developer,
      @Option(
              names = "--apis",
              required = true,
              split = ",",
              description = "APIs the key may call, comma-separated, or *")
          List<String> apis,
      @Option(names = "--scopes", split = ",", description = "scopes, comma-separated")
          @Nullable List<String> scopes,
      @Option(names = "--plan", description = "plan (default: each API's default_plan)")
          @Nullable String plan,
      @Option(names = "--expires", description = "expiry, e.g. 2027-01-01T00:00:00Z")
          @Nullable String expires,
      @Option(
              names = "--cidrs",
              split = ",",
              description = "client addresses allowed, e.g. 10.0.0.0/8")
          @Nullable List<String> cidrs,
      @Option(
              names = "--name",
              defaultValue = "default",
              description = "key name (default: ${DEFAULT-VALUE})")
          String name) {
    return admin.run(
        () -> {
          JsonObject body =
              new JsonObject().put("name", name).put("apis", new JsonArray(List.copyOf(apis)));
          if (scopes != null) {
            body.put("scopes", new JsonArray(List.copyOf(scopes)));
          }
          if (cidrs != null) {
            body.put("allowed_cidrs", new JsonArray(List.copyOf(cidrs)));
          }
          body.put("plan", plan).put("expires_at", expires);
          String path = "/admin/developers/" + AdminClient.segment(developer) + "/keys";
          admin.print(admin.send("POST", path, body.encode()).body(), KeyCommand::issued);
          return 0;
        });
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys.")
  int list(
      @Mixin AdminClient admin,
      @Option(names = "--developer", description = "only this developer's keys")
          @Nullable String developer,
      @Option(names = "--status", description = "active, revoked or expired")
          @Nullable String status,
      @Mixin PageOptions page) {
    return admin.run(
        () -> {
          String query = page.query("developer", developer, "status", status);
          admin.printPage(admin.get("/admin/keys" + query).body(), HEADING, KeyCommand::cells);
          return 0;
        });
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a key now; the next request with it is refused.")
  int revoke(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return admin.run(
        () -> {
          String path = "/admin/keys/" + AdminClient.segment(id) + "/revoke";
          admin.print(admin.send("POST", path, "{}").body(), KeyCommand::row);
          return 0;
        });
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Issue a successor key (printed this once); the old one works until the grace ends.")
  int rotate(
      @Mixin AdminClient admin,
      @Parameters(paramLabel = "ID") String id,
      @Option(
              names = "--grace",
              description = "how long the old key keeps working, e.g. 0, 30m, 24h (default 24h)")
          @Nullable String grace) {
    return admin.run(
        () -> {
          JsonObject body = new JsonObject();
          if (grace != null) {
            body.put("grace", grace);
          }
          String path = "/admin/keys/" + AdminClient.segment(id) + "/rotate";
          admin.print(admin.send("POST", path, body.encode()).body(), KeyCommand::issued);
          return 0;
        });
  }

  /** The new key's row and its plaintext, with the one warning that matters. */
  private static String issued(JsonObject key) {
    StringBuilder text = new StringBuilder(row(key));
    JsonObject replaced = key.getJsonObject("replaced_key");
    if (replaced != null) {
      String until = replaced.getString("grace_until");
      text.append(System.lineSeparator())
          .append("replaces ")
          .append(replaced.getString("id"))
          .append(until == null ? ", revoked now" : ", which works until " + until);
    }
    return text.append(System.lineSeparator())
        .append("key: ")
        .append(key.getString("key"))
        .append(System.lineSeparator())
        .append("This is the only time the key is shown: store it now.")
        .toString();
  }

  private static String row(JsonObject key) {
    return AdminClient.table(List.of(HEADING, cells(key))).stripTrailing();
  }

  static List<String> cells(JsonObject k) {
    return List.of(
        AdminClient.cell(k.getValue("id")),
        AdminClient.cell(k.getValue("status")),
        AdminClient.cell(k.getValue("developer_id")),
        AdminClient.cell(k.getValue("display_prefix")),
        AdminClient.cell(k.getValue("name")),
        AdminClient.cell(k.getValue("apis")),
        AdminClient.cell(k.getValue("scopes")),
        AdminClient.cell(k.getValue("plan")),
        AdminClient.cell(k.getValue("expires_at")));
  }
}
