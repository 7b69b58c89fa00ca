package io.xecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xecure serve --config FILE} as an operator runs it: keys issued and revoked through the
 * admin API take effect on the next request, and SIGTERM lets an in-flight request finish and exits
 * with status 0.
 */
class ServeIT {
  @TempDir Path dir;

  /**
   * Issue 7 item 10: stdout is the access log's stream, often shipped to a log pipeline, so the
   * generated admin token goes to stderr only; a store without a pepper is warned about.
   */
  @Test
  void aGeneratedAdminTokenIsShownOnStderrAndAMissingPepperIsWarned() throws Exception {
    int port = XecureProcess.freePort();
    int adminPort = XecureProcess.freePort();
    try (EchoUpstream upstream = new EchoUpstream()) {
      Path config =
          ConfigFiles.serve(dir, port, adminPort, upstream.url(), "[ \"header:X-API-Key\" ]");
      Files.writeString(
          config, Files.readString(config).replace(", pepper: \"e2e-pepper-4b1d0c7e9a\"", ""));
      try (XecureProcess xecure =
          XecureProcess.start(dir, "serve", Map.of(), "serve", "--config", config.toString())) {
        xecure.awaitHealthy(adminPort, Duration.ofSeconds(30));
        String line = awaitLine(xecure.stderrFile(), "admin token (generated, shown once): ");
        String token = line.substring(line.indexOf(": ") + 2).trim();
        assertThat(status(adminPort, "/admin/developers", token)).isEqualTo(200);
        assertThat(xecure.stop(Duration.ofSeconds(15))).as(xecure.dump()).isZero();
        assertThat(Files.readString(xecure.stdoutFile())).doesNotContain(token);
        assertThat(Files.readString(xecure.stderrFile()))
            .contains("WARN", "keys.pepper is not set: key hashes are plain SHA-256");
      }
    }
  }

  @Test
  void servesIssuedKeysRefusesRevokedOnesAndStopsGracefully() throws Exception {
    int port = XecureProcess.freePort();
    int adminPort = XecureProcess.freePort();
    String token = ConfigFiles.token();
    try (EchoUpstream upstream = new EchoUpstream()) {
      Path config =
          ConfigFiles.serve(dir, port, adminPort, upstream.url(), "[ \"header:X-API-Key\" ]");
      try (XecureProcess xecure =
          XecureProcess.start(
              dir,
              "serve",
              Map.of("XECURE_ADMIN_TOKEN", token),
              "serve",
              "--config",
              config.toString())) {
        Duration startup = xecure.awaitHealthy(adminPort, Duration.ofSeconds(30));
        System.out.println(
            "[e2e] serve start-up (process start -> /health 200, empty store): "
                + startup.toMillis()
                + " ms");
        assertThat(startup).isLessThan(Duration.ofSeconds(30));
        assertThat(status(port, "/health")).isEqualTo(200);
        assertThat(status(adminPort, "/health")).isEqualTo(200);

        Admin admin = new Admin(adminPort, token);
        String developer = admin.createDeveloper("ada").getString("id");
        JsonObject issued = admin.issueKey(developer, "k");
        String key = issued.getString("key");
        assertThat(key).startsWith("xk_");

        HttpResponse<String> ok = call(port, "/echo/hello", key);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        EchoUpstream.Received seen = upstream.last();
        assertThat(seen.uri()).isEqualTo("/echo/hello");
        assertThat(seen.header("x-developer-id")).isEqualTo(developer);
        assertThat(seen.header("x-api-key-id")).isEqualTo(issued.getString("id"));
        assertThat(seen.header("x-api-key")).isNull();
        assertThat(seen.headers().entries()).noneMatch(e -> e.getValue().contains(key));

        admin.revoke(issued.getString("id"));
        int before = upstream.received().size();
        HttpResponse<String> refused = call(port, "/echo/hello", key);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("content-type"))
            .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("key_invalid");
        assertThat(refused.body()).doesNotContain(key);
        assertThat(upstream.received()).hasSize(before);

        String slowKey = admin.issueKey(developer, "slow").getString("key");
        CompletableFuture<HttpResponse<String>> slow =
            XecureProcess.HTTP.sendAsync(
                request(port, "/echo/slow", slowKey), HttpResponse.BodyHandlers.ofString());
        awaitUpstream(upstream, "/echo/slow");
        long term = System.nanoTime();
        int exit = xecure.stop(Duration.ofSeconds(10));
        HttpResponse<String> slowResponse = slow.get(10, TimeUnit.SECONDS);
        System.out.println(
            "[e2e] serve: SIGTERM -> exit "
                + exit
                + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - term)
                + " ms");
        assertThat(slowResponse.statusCode()).as(slowResponse.body()).isEqualTo(200);
        assertThat(exit).as(xecure.dump()).isZero();
      }
    }
  }

  private static void awaitUpstream(EchoUpstream upstream, String uri) throws Exception {
    Eventually.until(
        "the upstream received " + uri,
        () -> upstream.received().stream().anyMatch(r -> r.uri().equals(uri)));
  }

  /** The first line of {@code file} that starts with {@code start}, once it is written. */
  private static String awaitLine(Path file, String start) throws Exception {
    return Eventually.await(
        "a line starting with \"" + start + "\"",
        () ->
            Files.readAllLines(file).stream()
                .filter(l -> l.startsWith(start))
                .findFirst()
                .orElse(""),
        line -> !line.isEmpty());
  }

  private static int status(int port, String path, String token) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .build();
    return XecureProcess.HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int status(int port, String path) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    return XecureProcess.HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static HttpResponse<String> call(int port, String path, String key) throws Exception {
    return XecureProcess.HTTP.send(request(port, path, key), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(int port, String path, String key) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .header("X-API-Key", key)
        .build();
  }
}
