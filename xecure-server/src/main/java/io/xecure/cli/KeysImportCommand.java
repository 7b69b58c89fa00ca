package io.xecure.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xecure key import}: streams a file of plaintext keys (one a line) to the admin API's bulk
 * import and prints the counts and the failed line numbers. The keys go over the wire once and are
 * never printed.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Import existing plaintext keys, one per line, for one developer.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every line imported",
      "1:the call failed (connection, token, unknown developer, ...)",
      "3:the call succeeded but some lines failed"
    })
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
public final class KeysImportCommand implements Callable<Integer> {
  static final int CALL_FAILED = AdminClient.CALL_FAILED;
  static final int LINES_FAILED = 3;

  @Option(names = "--developer", required = true, description = "developer id (dev_...)")
  String developer = "";

  @Option(names = "--file", required = true, description = "file with one key per line")
  Path file = Path.of("");

  @Option(names = "--apis", description = "comma-separated APIs the keys may call (default: *)")
  @Nullable String apis;

  @Option(names = "--scopes", description = "comma-separated scopes of the keys")
  @Nullable String scopes;

  @Option(names = "--plan", description = "plan of the keys")
  @Nullable String plan;

  @Mixin AdminClient admin = new AdminClient();

  @Override
  public Integer call() {
    return admin.run(
        () -> {
          HttpRequest.BodyPublisher body;
          try {
            body = HttpRequest.BodyPublishers.ofFile(file);
          } catch (FileNotFoundException e) {
            throw new AdminClient.CallFailed("cannot read " + file);
          }
          AdminClient.Reply reply =
              admin.call(
                  "POST",
                  importPath(),
                  "text/plain; charset=utf-8",
                  body,
                  Duration.ofHours(1)); // a million keys take minutes to store
          return report(reply.body());
        });
  }

  String importPath() {
    return "/admin/developers/"
        + AdminClient.segment(developer)
        + "/keys/import"
        + AdminClient.query("apis", apis, "scopes", scopes, "plan", plan);
  }

  private int report(JsonObject result) {
    int failed = result.getInteger("failed", 0);
    admin.print(result, r -> text(r, failed));
    return failed > 0 ? LINES_FAILED : 0;
  }

  private static String text(JsonObject result, int failed) {
    StringBuilder text =
        new StringBuilder(
            String.format("imported %d, failed %d", result.getInteger("imported", 0), failed));
    JsonArray errors = result.getJsonArray("errors", new JsonArray());
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      text.append(String.format("%nline %d: %s", e.getInteger("line"), e.getString("error")));
    }
    if (result.getBoolean("errors_truncated", false)) {
      text.append(String.format("%n(only the first %d failed lines are listed)", errors.size()));
    }
    return text.toString();
  }
}
