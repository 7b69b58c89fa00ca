package io.xecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xecure demo}: what it prints works when pasted, Ctrl+C (SIGTERM) ends it cleanly, and a
 * restart on the same data shows the same developer and key.
 */
class DemoIT {
  /** {@code curl -s URL} or {@code curl -s 'URL'}, optionally {@code -H 'Name: value'}. */
  private static final Pattern CURL =
      Pattern.compile("curl -s (?:'([^']+)'|(\\S+))(?: -H '([^:']+): ([^']*)')?");

  @TempDir Path dir;

  @Test
  void printedKeyTokenAndCurlLinesWork() throws Exception {
    int port = XecureProcess.freePort();
    int adminPort = XecureProcess.freePort();
    try (XecureProcess demo = start(port, adminPort, "demo")) {
      String out = demo.awaitStdout(l -> l.contains("Press Ctrl+C"), Duration.ofSeconds(60));
      String key = field(out, "API key");
      String token = field(out, "admin token");
      assertThat(key).startsWith("xk_");
      assertThat(token).hasSizeGreaterThanOrEqualTo(32);
      String gateway = "http://127.0.0.1:" + port;

      HttpResponse<String> users = get(gateway + "/users", "X-API-Key", key);
      assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
      assertThat(new JsonObject(users.body()).getJsonArray("users")).isNotEmpty();
      HttpResponse<String> analytics = get(gateway + "/analytics?api_key=" + key, null, null);
      assertThat(analytics.statusCode()).as(analytics.body()).isEqualTo(200);
      HttpResponse<String> anonymous = get(gateway + "/users", null, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("content-type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(new JsonObject(anonymous.body()).getString("code")).isEqualTo("key_missing");

      List<String> curls =
          out.lines().map(String::strip).filter(l -> l.startsWith("curl ")).toList();
      assertThat(curls).hasSizeGreaterThanOrEqualTo(4);
      for (String line : curls) {
        Matcher m = CURL.matcher(line);
        assertThat(m.lookingAt()).as("a curl line the test understands: " + line).isTrue();
        String url = m.group(1) != null ? m.group(1) : m.group(2);
        HttpResponse<String> response = get(url, m.group(3), m.group(4));
        int expected = line.contains("# 401") ? 401 : 200;
        assertThat(response.statusCode()).as(line + "\n" + response.body()).isEqualTo(expected);
      }

      assertThat(demo.stop(Duration.ofSeconds(15))).as(demo.dump()).isZero();

      try (XecureProcess again = start(port, adminPort, "demo-again")) {
        String second = again.awaitStdout(l -> l.contains("Press Ctrl+C"), Duration.ofSeconds(60));
        assertThat(field(second, "API key")).as("the same key after a restart").isEqualTo(key);
        assertThat(field(second, "developer")).isEqualTo(field(out, "developer"));
        HttpResponse<String> reused = get(gateway + "/users", "X-API-Key", key);
        assertThat(reused.statusCode()).as(reused.body()).isEqualTo(200);
        assertThat(again.stop(Duration.ofSeconds(15))).as(again.dump()).isZero();
      }
    }
  }

  private XecureProcess start(int port, int adminPort, String name) throws Exception {
    return XecureProcess.start(
        dir,
        name,
        Map.of(),
        "demo",
        "--port",
        String.valueOf(port),
        "--admin-port",
        String.valueOf(adminPort),
        "--data",
        dir.resolve("demo").toString());
  }

  /** The value printed after {@code label}, e.g. {@code " API key xk_..."}. */
  private static String field(String out, String label) {
    return out.lines()
        .map(String::strip)
        .filter(l -> l.startsWith(label + " "))
        .map(l -> l.substring(label.length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("the demo printed no " + label + ":\n" + out));
  }

  private static HttpResponse<String> get(String url, String header, String value)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (header != null) {
      request.header(header, value);
    }
    return XecureProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
