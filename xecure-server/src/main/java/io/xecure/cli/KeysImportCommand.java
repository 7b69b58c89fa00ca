package io.xecure.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xecure keys import}: streams a file of plaintext keys (one a line) to the admin API's bulk
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
  static final int CALL_FAILED = 1;
  static final int LINES_FAILED = 3;

  /** Output format. */
  public enum Output {
    text,
    json
  }

  @Option(names = "--developer", required = true, description = "developer id (dev_...)")
  String developer = "";

  @Option(names = "--file", required = true, description = "file with one key per line")
  Path file = Path.of("");

  @Option(
      names = "--admin-url",
      defaultValue = "http://127.0.0.1:8081",
      description = "admin API base URL (default: ${DEFAULT-VALUE})")
  URI adminUrl = URI.create("http://127.0.0.1:8081");

  @Option(
      names = "--token",
      defaultValue = "${env:XECURE_ADMIN_TOKEN}",
      description = "admin token (default: $XECURE_ADMIN_TOKEN)")
  @Nullable String token;

  @Option(names = "--apis", description = "comma-separated APIs the keys may call (default: *)")
  @Nullable String apis;

  @Option(names = "--scopes", description = "comma-separated scopes of the keys")
  @Nullable String scopes;

  @Option(names = "--plan", description = "plan of the keys")
  @Nullable String plan;

  @Option(
      names = "--output",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE})")
  Output output = Output.text;

  @SuppressWarnings("NullAway.Init") // injected by picocli before call()
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (token == null || token.isBlank()) {
      err.println("no admin token: pass --token or set XECURE_ADMIN_TOKEN");
      return CALL_FAILED;
    }
    if (!Files.isReadable(file)) {
      err.println("cannot read " + file);
      return CALL_FAILED;
    }
    HttpResponse<String> response;
    try {
      response = send(token);
    } catch (IOException e) {
      err.println("cannot reach " + adminUrl + ": " + e.getMessage());
      return CALL_FAILED;
    }
    if (response.statusCode() != 200) {
      err.println("import failed: " + problem(response));
      return CALL_FAILED;
    }
    return report(new JsonObject(response.body()), response.body());
  }

  private HttpResponse<String> send(String adminToken) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(importUri())
            .header("authorization", "Bearer " + adminToken)
            .header("content-type", "text/plain; charset=utf-8")
            .timeout(Duration.ofHours(1)) // a million keys take minutes to store
            .POST(HttpRequest.BodyPublishers.ofFile(file))
            .build();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  URI importUri() {
    List<String> query = new ArrayList<>();
    addParam(query, "apis", apis);
    addParam(query, "scopes", scopes);
    addParam(query, "plan", plan);
    String base = adminUrl.toString().replaceAll("/+$", "");
    String path = "/admin/developers/" + encode(developer) + "/keys/import";
    return URI.create(base + path + (query.isEmpty() ? "" : "?" + String.join("&", query)));
  }

  private int report(JsonObject result, String raw) {
    PrintWriter out = spec.commandLine().getOut();
    int failed = result.getInteger("failed", 0);
    if (output == Output.json) {
      out.println(raw);
    } else {
      out.printf("imported %d, failed %d%n", result.getInteger("imported", 0), failed);
      JsonArray errors = result.getJsonArray("errors", new JsonArray());
      for (int i = 0; i < errors.size(); i++) {
        JsonObject e = errors.getJsonObject(i);
        out.printf("line %d: %s%n", e.getInteger("line"), e.getString("error"));
      }
      if (result.getBoolean("errors_truncated", false)) {
        out.printf("(only the first %d failed lines are listed)%n", errors.size());
      }
    }
    out.flush();
    return failed > 0 ? LINES_FAILED : 0;
  }

  /** The problem's code and detail; the server never puts a key in either. */
  private static String problem(HttpResponse<String> response) {
    try {
      JsonObject p = new JsonObject(response.body());
      return response.statusCode()
          + " "
          + p.getString("code", "")
          + ": "
          + p.getString("detail", "")
          + " (request "
          + p.getString("request_id", "?")
          + ")";
    } catch (DecodeException | ClassCastException e) {
      return "HTTP " + response.statusCode();
    }
  }

  private static void addParam(List<String> query, String name, @Nullable String value) {
    if (value != null) {
      query.add(name + "=" + encode(value));
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
