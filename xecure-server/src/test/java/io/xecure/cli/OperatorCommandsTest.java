package io.xecure.cli;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xecure operator}, {@code events}, {@code usage} and {@code alerts} through {@link Main},
 * against a real gateway started in-process.
 */
class OperatorCommandsTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    gw = new GatewayHarness(dir, List.of(api("users", "/users", upstream.url())));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void operatorLifecycleWithATokenShownOnce() {
    Run created =
        withStdin(
            "a long enough password\n",
            () ->
                run(
                    "operator",
                    "create",
                    "--email",
                    "ops@example.com",
                    "--name",
                    "Ops",
                    "--role",
                    "operator",
                    "--password-stdin",
                    "--output",
                    "json"));
    assertThat(created.code()).as(created.err()).isZero();
    String id = new JsonObject(created.out()).getString("id");
    assertThat(created.out()).doesNotContain("a long enough password");

    Run token = run("operator", "token", "create", id, "--name", "laptop");
    assertThat(token.out()).contains("token: xot_", "only time");
    String plaintext =
        token.out().substring(token.out().indexOf("token: ") + 7).lines().findFirst().orElseThrow();
    // the token works as --token, and as the operator it belongs to
    Run asOperator =
        runAs(plaintext, "developer", "create", "--name", "Dee", "--email", "dee@example.com");
    assertThat(asOperator.code()).as(asOperator.err()).isZero();
    Run refused = runAs(plaintext, "operator", "list");
    assertThat(refused.code()).isZero(); // every role reads
    Run notOwner = runAs(plaintext, "operator", "role", id, "owner");
    assertThat(notOwner.code()).isEqualTo(AdminClient.CALL_FAILED);
    assertThat(notOwner.err()).contains("403 forbidden");

    assertThat(run("operator", "list").out()).contains(id, "operator", "ops@example.com");
    assertThat(run("operator", "role", id, "auditor").out()).contains("auditor");
    Run tokens = run("operator", "token", "list", id);
    assertThat(tokens.out()).contains("laptop", "active").doesNotContain(plaintext);
    String tokenId = tokens.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
    assertThat(run("operator", "token", "revoke", id, tokenId).out())
        .contains("revoked " + tokenId);
    Run revoked = runAs(plaintext, "developer", "list");
    assertThat(revoked.code()).isEqualTo(AdminClient.CALL_FAILED);
    assertThat(revoked.err()).contains("401");

    assertThat(run("operator", "disable", id).out()).contains("true");
    assertThat(run("operator", "delete", id).out()).contains("deleted " + id);
    assertThat(run("operator", "delete", id).err()).contains("404 not_found");
  }

  @Test
  void eventsFilterAndFollowPrintsNewEventsOnce() throws Exception {
    Run dev =
        run(
            "developer",
            "create",
            "--name",
            "Eve",
            "--email",
            "eve@example.com",
            "--output",
            "json");
    String first = new JsonObject(dev.out()).getString("id");

    Run listed =
        run("events", "--type", "admin", "--action", "developer.created", "--target", first);
    assertThat(listed.out()).contains("TIME", "admin", "developer.created " + first);
    assertThat(listed.out().lines().count()).isEqualTo(2);

    StringWriter out = new StringWriter();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> follow =
          thread.submit(
              () ->
                  command(out, new StringWriter())
                      .execute(
                          args(
                              "events",
                              "--type",
                              "admin",
                              "--follow",
                              "--interval",
                              "0.05",
                              "--polls",
                              "2000")));
      Eventually.await("the first event followed", out::toString, s -> s.contains(first));
      String second =
          new JsonObject(
                  run(
                          "developer",
                          "create",
                          "--name",
                          "Fay",
                          "--email",
                          "fay@example.com",
                          "--output",
                          "json")
                      .out())
              .getString("id");
      Eventually.await("the new event followed", out::toString, s -> s.contains(second));
      follow.cancel(true); // interrupts its pause between polls
      String text = out.toString();
      assertThat(text.indexOf(first)).isLessThan(text.indexOf(second)); // oldest first
      assertThat(text.split("developer.created " + first, -1)).hasSize(2); // printed once
    } finally {
      thread.shutdownNow();
      assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void usageAndAlerts() throws Exception {
    Run usage = run("usage", "--group-by", "api", "--interval", "hour");
    assertThat(usage.code()).as(usage.err()).isZero();
    assertThat(usage.out()).contains("ID", "REQUESTS", "by hour");
    Run json = run("usage", "--group-by", "key", "--output", "json");
    assertThat(new JsonObject(json.out()).getString("group_by")).isEqualTo("key");

    Run alerts = run("alerts", "list", "--status", "open");
    assertThat(alerts.code()).as(alerts.err()).isZero();
    assertThat(alerts.out()).contains("ID", "TYPE", "SUBJECT");
    Run unknown = run("alerts", "ack", "alr_nope");
    assertThat(unknown.code()).isEqualTo(AdminClient.CALL_FAILED);
    assertThat(unknown.err()).contains("404 not_found");
    Run badStatus = run("alerts", "list", "--status", "nope");
    assertThat(badStatus.err()).contains("422", "status");
  }

  // --- helpers

  record Run(int code, String out, String err) {}

  interface Body {
    Run call();
  }

  private static Run withStdin(String text, Body body) {
    InputStream stdin = System.in;
    System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    try {
      return body.call();
    } finally {
      System.setIn(stdin);
    }
  }

  private static Run run(String... args) {
    return runAs(gw.gateway().adminToken(), args);
  }

  private static Run runAs(String token, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = command(out, err).execute(argsWith(token, args));
    return new Run(code, out.toString(), err.toString());
  }

  private static picocli.CommandLine command(StringWriter out, StringWriter err) {
    return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
  }

  private static String[] args(String... args) {
    return argsWith(gw.gateway().adminToken(), args);
  }

  private static String[] argsWith(String token, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--admin-url";
    all[args.length + 1] = "http://127.0.0.1:" + gw.gateway().adminPort();
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return all;
  }
}
