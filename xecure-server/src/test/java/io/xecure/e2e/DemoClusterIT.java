package io.xecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.redis.TestRedis;
import io.xecure.store.jdbc.TestDatabases;
import io.xecure.testing.Eventually;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xecure demo --nodes 3}: three nodes on the machine's PostgreSQL and Redis whose printed
 * curl lines work when pasted, including a key revoked through node 1 refused by nodes 2 and 3; a
 * restart finds the same developer and key; a PostgreSQL that does not answer is one line and exit
 * status 1. Skipped without PostgreSQL or Redis (failed with {@code XECURE_REQUIRE_SERVICES=1}).
 */
class DemoClusterIT {
  /** {@code curl -s [-X METHOD] URL|'URL' [-H 'Name: value']}, then an optional comment. */
  private static final Pattern CURL =
      Pattern.compile(
          "curl -s (?:-X (\\w+) )?(?:'([^']+)'|(\\S+))(?: -H '([^:']+): ([^']*)')?\\s*(?:#(.*))?");

  /** The status a comment promises ({@code # node 2: 401 key_invalid}); none means 200. */
  private static final Pattern STATUS = Pattern.compile("\\b([1-5]\\d\\d)\\b");

  /** SPEC §8: a change reaches every node within 100 ms normally, 2 s when pushes are lost. */
  private static final Duration BOUND = Duration.ofSeconds(2);

  @TempDir Path dir;

  @Test
  void printedCurlLinesShowOneClusterAndARestartKeepsTheDemoKey() throws Exception {
    TestRedis.requireOrSkip();
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip()) {
      try {
        String out = runDemoChecked(schema.name());
        String key = field(out, "API key");
        String developer = field(out, "developer");
        assertThat(field(out, "tour key")).startsWith("xk_").doesNotContain(key);

        String again = startAndStop(schema.name(), 2);
        assertThat(field(again, "API key")).as("the same demo key after a restart").isEqualTo(key);
        assertThat(field(again, "developer")).isEqualTo(developer);
      } finally {
        Vertx vertx = Vertx.vertx();
        try {
          TestRedis.deleteAll(vertx, schema.name() + ":");
        } finally {
          vertx.close();
        }
      }
    }
  }

  @Test
  void anUnreachablePostgresIsOneLineAndExitStatusOne() throws Exception {
    int closed = XecureProcess.freePort();
    XecureProcess demo =
        XecureProcess.run(
            dir,
            "demo-nopg",
            Map.of(),
            "demo",
            "--nodes",
            "3",
            "--port",
            "0",
            "--admin-port",
            "0",
            "--data",
            dir.resolve("demo").toString(),
            "--store-url",
            "jdbc:postgresql://127.0.0.1:" + closed + "/test",
            "--redis",
            TestRedis.url());
    assertThat(demo.exitValue()).as(demo.dump()).isEqualTo(1);
    List<String> lines = demo.stderr().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines)
        .as(demo.dump())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "xecure demo: no PostgreSQL at jdbc:postgresql://127.0.0.1:" + closed)
                    .contains("--store-url"));
    // no stack trace, no other complaint about PostgreSQL (a missing Redis may add its own line)
    assertThat(lines).as(demo.dump()).allMatch(l -> l.startsWith("xecure demo: no "));
    assertThat(demo.stdout()).doesNotContain("curl");
  }

  @Test
  void anUnreachableRedisIsOneLineAndExitStatusOne() throws Exception {
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip()) {
      int closed = XecureProcess.freePort();
      XecureProcess demo =
          XecureProcess.run(
              dir,
              "demo-noredis",
              Map.of(),
              "demo",
              "--nodes",
              "2",
              "--data",
              dir.resolve("demo").toString(),
              "--store-url",
              TestDatabases.postgresUrl(),
              "--store-user",
              TestDatabases.postgresUser(),
              "--schema",
              schema.name(),
              "--redis",
              "redis://127.0.0.1:" + closed);
      assertThat(demo.exitValue()).as(demo.dump()).isEqualTo(1);
      assertThat(demo.stderr().lines().filter(l -> !l.isBlank()).toList())
          .as(demo.dump())
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .startsWith("xecure demo: no Redis at 127.0.0.1:" + closed)
                      .contains("--redis"));
    }
  }

  /** Runs the demo, executes every printed curl line and checks its status; returns the output. */
  private String runDemoChecked(String schema) throws Exception {
    try (XecureProcess demo = start(schema, 3)) {
      String out = demo.awaitStdout(l -> l.contains("Press Ctrl+C"), Duration.ofSeconds(90));
      List<String> curls =
          out.lines().map(String::strip).filter(l -> l.startsWith("curl ")).toList();
      assertThat(curls).as(out).hasSize(7);
      boolean revoked = false;
      for (String line : curls) {
        Matcher m = CURL.matcher(line);
        assertThat(m.matches()).as("a curl line the test understands: " + line).isTrue();
        String method = m.group(1) == null ? "GET" : m.group(1);
        String url = m.group(2) != null ? m.group(2) : m.group(3);
        int expected = expectedStatus(m.group(6));
        // after the revoke, other nodes may take up to the SPEC's bound to hear of it
        Duration wait = revoked && expected == 401 ? BOUND : Duration.ZERO;
        HttpResponse<String> response =
            Eventually.await(
                line,
                wait,
                () -> send(method, url, m.group(4), m.group(5)),
                r -> r.statusCode() == expected);
        if (expected == 401) {
          assertThat(new JsonObject(response.body()).getString("code")).isEqualTo("key_invalid");
        }
        if (url.endsWith("/revoke")) {
          revoked = true;
          assertThat(new JsonObject(response.body()).getString("status")).isEqualTo("revoked");
        }
        if (url.endsWith("/admin/nodes")) {
          JsonArray nodes = new JsonObject(response.body()).getJsonArray("items");
          assertThat(nodes.stream().filter(n -> ((JsonObject) n).getBoolean("live")).count())
              .as(response.body())
              .isEqualTo(3);
        }
      }
      assertThat(revoked).as("a revoke line").isTrue();
      assertThat(demo.stop(Duration.ofSeconds(30))).as(demo.dump()).isZero();
      return out;
    }
  }

  private String startAndStop(String schema, int nodes) throws Exception {
    try (XecureProcess demo = start(schema, nodes)) {
      String out = demo.awaitStdout(l -> l.contains("Press Ctrl+C"), Duration.ofSeconds(90));
      assertThat(demo.stop(Duration.ofSeconds(30))).as(demo.dump()).isZero();
      return out;
    }
  }

  private XecureProcess start(String schema, int nodes) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "demo",
                "--nodes",
                String.valueOf(nodes),
                "--port",
                "0",
                "--admin-port",
                "0",
                "--data",
                dir.resolve("demo").toString(),
                "--store-url",
                TestDatabases.postgresUrl(),
                "--store-user",
                TestDatabases.postgresUser(),
                "--schema",
                schema,
                "--redis",
                TestRedis.url()));
    return XecureProcess.start(dir, "demo-" + nodes, Map.of(), args.toArray(String[]::new));
  }

  private static int expectedStatus(@Nullable String comment) {
    if (comment == null) {
      return 200;
    }
    Matcher m = STATUS.matcher(comment);
    return m.find() ? Integer.parseInt(m.group(1)) : 200;
  }

  /** The value printed after {@code label}, up to the first run of spaces. */
  private static String field(String out, String label) {
    return out.lines()
        .map(String::strip)
        .filter(l -> l.startsWith(label + " "))
        .map(l -> l.substring(label.length()).strip().split(" {2,}")[0])
        .findFirst()
        .orElseThrow(() -> new AssertionError("the demo printed no " + label + ":\n" + out));
  }

  private static HttpResponse<String> send(
      String method, String url, @Nullable String header, @Nullable String value) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (header != null && value != null) {
      request.header(header, value);
    }
    return XecureProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
