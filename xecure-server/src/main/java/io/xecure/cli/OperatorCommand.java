package io.xecure.cli;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xecure operator ...}: operator accounts and their personal tokens through the admin API
 * (owner only, but {@code list}). A password is read from standard input, never from the command
 * line where {@code ps} would show it; a token's plaintext is printed once, by {@code token
 * create}.
 */
@Command(
    name = "operator",
    aliases = "operators",
    mixinStandardHelpOptions = true,
    description = "Manage operators (admin API and console accounts) and their tokens.",
    subcommands = {OperatorCommand.Token.class})
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class OperatorCommand {
  static final List<String> HEADING = List.of("ID", "ROLE", "DISABLED", "EMAIL", "NAME", "CREATED");

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an operator.")
  int create(
      @Mixin AdminClient admin,
      @Option(names = "--email", required = true, description = "sign-in email") String email,
      @Option(names = "--name", required = true, description = "display name") String name,
      @Option(
              names = "--role",
              required = true,
              description = "owner, operator (developers, keys, alerts) or auditor (read only)")
          String role,
      @Option(
              names = "--password-stdin",
              description = "read a password (12+ characters) from the first line of stdin")
          boolean passwordStdin) {
    return admin.run(
        () -> {
          JsonObject body =
              new JsonObject().put("email", email).put("name", name).put("role", role);
          if (passwordStdin) {
            body.put("password", readPassword());
          }
          admin.print(admin.send("POST", "/admin/operators", body.encode()).body(), d -> row(d));
          return 0;
        });
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List operators.")
  int list(@Mixin AdminClient admin, @Mixin PageOptions page) {
    return admin.run(
        () -> {
          admin.printPage(
              admin.get("/admin/operators" + page.query()).body(), HEADING, OperatorCommand::cells);
          return 0;
        });
  }

  @Command(
      name = "role",
      mixinStandardHelpOptions = true,
      description = "Change an operator's role; it applies from its next call.")
  int role(
      @Mixin AdminClient admin,
      @Parameters(index = "0", paramLabel = "ID") String id,
      @Parameters(index = "1", paramLabel = "ROLE", description = "owner, operator or auditor")
          String role) {
    return patch(admin, id, new JsonObject().put("role", role));
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable an operator: its sign-ins, sessions and tokens are refused.")
  int disable(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return patch(admin, id, new JsonObject().put("disabled", true));
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable an operator.")
  int enable(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return patch(admin, id, new JsonObject().put("disabled", false));
  }

  @Command(
      name = "password",
      mixinStandardHelpOptions = true,
      description = "Set an operator's password, read from the first line of stdin.")
  int password(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return admin.run(
        () -> {
          JsonObject body = new JsonObject().put("password", readPassword());
          admin.send("PATCH", path(id), body.encode());
          admin.out().println("password set for " + id);
          return 0;
        });
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete an operator with its tokens and sessions.")
  int delete(@Mixin AdminClient admin, @Parameters(paramLabel = "ID") String id) {
    return admin.run(
        () -> {
          admin.print(admin.delete(path(id)).body(), r -> "deleted " + r.getString("id"));
          return 0;
        });
  }

  /** {@code xecure operator token ...}: personal API tokens. */
  @Command(
      name = "token",
      aliases = "tokens",
      mixinStandardHelpOptions = true,
      description = "Manage an operator's personal API tokens.")
  @NullMarked
  static final class Token {
    static final List<String> HEADING =
        List.of("ID", "STATUS", "NAME", "CREATED", "LAST_USED", "REVOKED");

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a token; its plaintext is printed this once.")
    int create(
        @Mixin AdminClient admin,
        @Parameters(paramLabel = "OPERATOR_ID") String operator,
        @Option(names = "--name", required = true, description = "what the token is for")
            String name) {
      return admin.run(
          () -> {
            JsonObject body = new JsonObject().put("name", name);
            admin.print(
                admin.send("POST", path(operator) + "/tokens", body.encode()).body(),
                t ->
                    "token "
                        + t.getString("id")
                        + " created"
                        + System.lineSeparator()
                        + "token: "
                        + t.getString("token")
                        + System.lineSeparator()
                        + "this is the only time it is shown: keep it now");
            return 0;
          });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens.")
    int list(@Mixin AdminClient admin, @Parameters(paramLabel = "OPERATOR_ID") String operator) {
      return admin.run(
          () -> {
            admin.printPage(admin.get(path(operator) + "/tokens").body(), HEADING, Token::cells);
            return 0;
          });
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token now.")
    int revoke(
        @Mixin AdminClient admin,
        @Parameters(index = "0", paramLabel = "OPERATOR_ID") String operator,
        @Parameters(index = "1", paramLabel = "TOKEN_ID") String token) {
      return admin.run(
          () -> {
            String revoke = path(operator) + "/tokens/" + AdminClient.segment(token) + "/revoke";
            admin.print(
                admin.send("POST", revoke, "{}").body(), t -> "revoked " + t.getString("id"));
            return 0;
          });
    }

    static List<String> cells(JsonObject t) {
      return List.of(
          AdminClient.cell(t.getValue("id")),
          AdminClient.cell(t.getValue("status")),
          AdminClient.cell(t.getValue("name")),
          AdminClient.cell(t.getValue("created_at")),
          AdminClient.cell(t.getValue("last_used_at")),
          AdminClient.cell(t.getValue("revoked_at")));
    }
  }

  private static int patch(AdminClient admin, String id, JsonObject body) {
    return admin.run(
        () -> {
          admin.print(admin.send("PATCH", path(id), body.encode()).body(), d -> row(d));
          return 0;
        });
  }

  private static String path(String id) {
    return "/admin/operators/" + AdminClient.segment(id);
  }

  /** The first line of stdin: a pipe or a prompt without echo would both end up here. */
  private static String readPassword() throws AdminClient.CallFailed {
    try {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      @Nullable String line = in.readLine();
      if (line == null || line.isEmpty()) {
        throw new AdminClient.CallFailed("--password-stdin: no password on standard input");
      }
      return line;
    } catch (IOException e) {
      throw new AdminClient.CallFailed("cannot read the password from standard input");
    }
  }

  private static String row(JsonObject operator) {
    return AdminClient.table(List.of(HEADING, cells(operator))).stripTrailing();
  }

  static List<String> cells(JsonObject o) {
    return List.of(
        AdminClient.cell(o.getValue("id")),
        AdminClient.cell(o.getValue("role")),
        AdminClient.cell(o.getValue("disabled")),
        AdminClient.cell(o.getValue("email")),
        AdminClient.cell(o.getValue("name")),
        AdminClient.cell(o.getValue("created_at")));
  }
}
