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
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command that talks to the admin API shares, as a picocli mixin: {@code --admin-url},
 * {@code --token}, {@code --output}, one authenticated JSON call, and the report of a failed call
 * (status, code, detail, each invalid field, request id) on stderr with exit code {@link
 * #CALL_FAILED}. The token is sent, never printed.
 */
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
public final class AdminClient {
  /** Exit code of a failed call: unreachable, no or wrong token, or any refusal. */
  static final int CALL_FAILED = 1;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Output format. */
  public enum Output {
    text,
    json
  }

  /** One answered call: its status and JSON body. */
  record Reply(int status, JsonObject body) {}

  /** A call that failed; the message is what the operator reads. */
  static final class CallFailed extends Exception {
    private static final long serialVersionUID = 1L;

    CallFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** A command's work, which may fail as a call. */
  interface Work {
    int run() throws CallFailed;
  }

  @Option(
      names = "--admin-url",
      defaultValue = "${env:XECURE_ADMIN_URL:-http://127.0.0.1:8081}",
      description = "admin API base URL (default: $XECURE_ADMIN_URL, else http://127.0.0.1:8081)")
  URI adminUrl = URI.create("http://127.0.0.1:8081");

  @Option(
      names = "--token",
      defaultValue = "${env:XECURE_ADMIN_TOKEN}",
      description = "admin token (default: $XECURE_ADMIN_TOKEN)")
  @Nullable String token;

  @Option(
      names = "--output",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE})")
  Output output = Output.text;

  @SuppressWarnings("NullAway.Init") // injected by picocli before the command runs
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Runs {@code work}; a failed call is printed to stderr and exits {@link #CALL_FAILED}. */
  int run(Work work) {
    try {
      return work.run();
    } catch (CallFailed e) {
      PrintWriter err = err();
      err.println(e.getMessage());
      err.flush();
      return CALL_FAILED;
    } finally {
      out().flush();
    }
  }

  /** {@code get} for one resource: its JSON, pretty, in the shape {@link #putJsonFile} takes. */
  int printJson(String path) {
    return run(
        () -> {
          out().println(get(path).body().encodePrettily());
          return 0;
        });
  }

  /**
   * {@code put} for one resource from a JSON file, checked locally first so that a typo is not a
   * round trip; prints "{@code what} created" or "{@code what} replaced".
   */
  int putJsonFile(String path, Path file, String what) {
    return run(
        () -> {
          Reply reply = send("PUT", path, readJsonObject(file));
          String done = reply.status() == 201 ? "created" : "replaced";
          print(reply.body(), body -> what + " " + done);
          return 0;
        });
  }

  static String readJsonObject(Path file) throws CallFailed {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new CallFailed("cannot read " + file);
    }
    try {
      new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new CallFailed(file + ": not a JSON object");
    }
    return text;
  }

  Reply get(String path) throws CallFailed {
    return call("GET", path, null, HttpRequest.BodyPublishers.noBody(), CALL_TIMEOUT);
  }

  Reply delete(String path) throws CallFailed {
    return call("DELETE", path, null, HttpRequest.BodyPublishers.noBody(), CALL_TIMEOUT);
  }

  /** A call with a JSON body ({@code POST}, {@code PUT}, {@code PATCH}). */
  Reply send(String method, String path, String json) throws CallFailed {
    return call(
        method,
        path,
        "application/json",
        HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8),
        CALL_TIMEOUT);
  }

  /**
   * One call; any status but 2xx is a {@link CallFailed} holding the problem.
   *
   * @param path the path and query, already encoded (see {@link #segment})
   */
  Reply call(
      String method,
      String path,
      @Nullable String contentType,
      BodyPublisher body,
      Duration timeout)
      throws CallFailed {
    String adminToken = token;
    if (adminToken == null || adminToken.isBlank()) {
      throw new CallFailed("no admin token: pass --token or set XECURE_ADMIN_TOKEN");
    }
    URI uri = URI.create(adminUrl.toString().replaceAll("/+$", "") + path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("authorization", "Bearer " + adminToken)
            .header("accept", "application/json")
            .timeout(timeout)
            .method(method, body);
    if (contentType != null) {
      request.header("content-type", contentType);
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CallFailed("cannot reach " + adminUrl + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallFailed("interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      throw new CallFailed(problem(response));
    }
    return new Reply(response.statusCode(), object(response.body()));
  }

  /** Prints {@code body} as JSON with {@code --output json}, else as {@code text} renders it. */
  void print(JsonObject body, Function<JsonObject, String> text) {
    out().println(output == Output.json ? body.encodePrettily() : text.apply(body));
  }

  /** Lists {@code items} as a table, or the whole page as JSON; says how to get the next page. */
  void printPage(JsonObject page, List<String> heading, Function<JsonObject, List<String>> row) {
    if (output == Output.json) {
      out().println(page.encodePrettily());
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(heading);
    JsonArray items = page.getJsonArray("items", new JsonArray());
    for (int i = 0; i < items.size(); i++) {
      rows.add(row.apply(items.getJsonObject(i)));
    }
    out().print(table(rows));
    String next = page.getString("next_cursor");
    if (next != null) {
      err().println("more: repeat with --cursor " + next);
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** One path segment, percent-encoded. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?a=1&b=2} of the non-null values, or "". */
  static String query(@Nullable String... namesAndValues) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      String value = namesAndValues[i + 1];
      if (value != null) {
        parts.add(namesAndValues[i] + "=" + segment(value));
      }
    }
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }

  /** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
  static String table(List<List<String>> rows) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        line.append(c == row.size() - 1 ? row.get(c) : pad(row.get(c), width[c] + 2));
      }
      text.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return text.toString();
  }

  /** A JSON value as a cell: "-" for null, lists comma-separated. */
  static String cell(@Nullable Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof JsonArray list) {
      List<String> items = new ArrayList<>();
      list.forEach(v -> items.add(String.valueOf(v)));
      return items.isEmpty() ? "-" : String.join(",", items);
    }
    return String.valueOf(value);
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }

  private static JsonObject object(String body) throws CallFailed {
    if (body.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new CallFailed("the admin API answered something else than JSON");
    }
  }

  /** Status, code, detail, each invalid field and the request id; never a key or the token. */
  static String problem(HttpResponse<String> response) {
    JsonObject p;
    try {
      p = new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      return "HTTP " + response.statusCode();
    }
    StringBuilder text =
        new StringBuilder()
            .append(response.statusCode())
            .append(' ')
            .append(p.getString("code", ""))
            .append(": ")
            .append(p.getString("detail", ""))
            .append(" (request ")
            .append(p.getString("request_id", "?"))
            .append(')');
    JsonArray errors = p.getJsonArray("errors", new JsonArray());
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      text.append(System.lineSeparator())
          .append("  ")
          .append(e.getString("field"))
          .append(": ")
          .append(e.getString("message"));
    }
    return text.toString();
  }
}
