package io.xecure.cli;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin commands through {@link Main}, against a real gateway started in-process: what they
 * print, their exit codes, and that their changes are what the gateway then does.
 */
class AdminCommandsTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

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

  @BeforeEach
  void clear() {
    out = new StringWriter();
    err = new StringWriter();
  }

  @Test
  void developerLifecycle() {
    String id = createDeveloper("Grace");

    assertThat(run("developer", "list")).isZero();
    assertThat(out.toString()).contains("ID", "STATUS", id, "Grace", "grace@example.com");
    assertThat(run("developer", "suspend", id)).isZero();
    assertThat(out.toString()).contains("suspended");
    assertThat(run("developer", "activate", id, "--output", "json")).isZero();
    assertThat(lastJson().getString("status")).isEqualTo("active");
    assertThat(run("developer", "delete", id)).isZero();
    assertThat(out.toString()).contains("deleted " + id);
    assertThat(run("developer", "delete", id)).isEqualTo(AdminClient.CALL_FAILED);
    assertThat(err.toString()).contains("404 not_found");
  }

  @Test
  void keyCreatePrintsThePlaintextOnceAndTheKeyWorks() throws Exception {
    String dev = createDeveloper("Kim");

    assertThat(
            run(
                "key",
                "create",
                "--developer",
                dev,
                "--apis",
                "users,orders",
                "--scopes",
                "users:read,users:write",
                "--expires",
                "2099-01-01T00:00:00Z",
                "--cidrs",
                "127.0.0.1/32,10.0.0.0/8",
                "--output",
                "json"))
        .isZero();
    JsonObject created = lastJson();
    String plaintext = created.getString("key");
    assertThat(plaintext).startsWith("xk_");
    assertThat(created.getJsonArray("scopes").getList())
        .containsExactly("users:read", "users:write");
    assertThat(created.getJsonArray("allowed_cidrs").size()).isEqualTo(2);
    assertThat(gw.get("/users/1", "X-API-Key", plaintext).statusCode()).isEqualTo(200);

    assertThat(run("key", "list", "--developer", dev)).isZero();
    assertThat(out.toString())
        .contains(created.getString("id"), "users,orders")
        .doesNotContain(plaintext);

    assertThat(run("key", "revoke", created.getString("id"))).isZero();
    assertThat(out.toString()).contains("revoked");
    assertThat(gw.get("/users/1", "X-API-Key", plaintext).statusCode()).isEqualTo(401);
  }

  @Test
  void keyRotateGivesASuccessorAndKeepsTheOldOneForTheGrace() throws Exception {
    String dev = createDeveloper("Rui");
    run("key", "create", "--developer", dev, "--apis", "*", "--output", "json");
    JsonObject old = lastJson();

    assertThat(run("keys", "rotate", old.getString("id"), "--grace", "1h")).isZero();

    String text = out.toString();
    assertThat(text)
        .contains("replaces " + old.getString("id"), "works until", "key: xk_", "only time");
    String successor = text.substring(text.indexOf("key: ") + 5).lines().findFirst().orElseThrow();
    assertThat(gw.get("/users/1", "X-API-Key", successor).statusCode()).isEqualTo(200);
    assertThat(gw.get("/users/1", "X-API-Key", old.getString("key")).statusCode()).isEqualTo(200);
    assertThat(run("key", "list", "--developer", dev, "--status", "active", "--output", "json"))
        .isZero();
    assertThat(lastJson().getJsonArray("items").size()).isEqualTo(2);
  }

  @Test
  void apiPutGetListDeleteChangeTheRoutingAtOnce(@TempDir Path files) throws Exception {
    Path file =
        Files.writeString(
            files.resolve("orders.json"),
            "{\"path\": \"/orders\", \"upstream\": \"" + upstream.url() + "\"}");
    String dev = createDeveloper("Ops");
    run("key", "create", "--developer", dev, "--apis", "*", "--output", "json");
    String key = lastJson().getString("key");

    assertThat(run("api", "put", "orders", "--file", file.toString())).isZero();
    assertThat(out.toString()).contains("api orders created");
    assertThat(gw.get("/orders/7", "X-API-Key", key).statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/orders/7");

    assertThat(run("api", "list")).isZero();
    assertThat(out.toString()).contains("NAME", "orders", "/orders", "users", "/users");
    assertThat(run("api", "get", "orders")).isZero();
    Path edited = files.resolve("edited.json");
    Files.writeString(edited, new JsonObject(out.toString()).put("strip_path", true).encode());
    assertThat(run("api", "put", "orders", "--file", edited.toString())).isZero();
    assertThat(out.toString()).contains("api orders replaced");
    gw.get("/orders/7", "X-API-Key", key);
    assertThat(upstream.last().uri()).isEqualTo("/7");

    assertThat(run("api", "delete", "orders")).isZero();
    assertThat(gw.get("/orders/7", "X-API-Key", key).statusCode()).isEqualTo(404);
  }

  @Test
  void anInvalidApiFileExitsNonZeroWithEveryProblem(@TempDir Path files) throws Exception {
    Path file =
        Files.writeString(
            files.resolve("bad.json"), "{\"path\": \"orders\", \"upstream\": \"ftp://x\"}");

    assertThat(run("api", "put", "orders", "--file", file.toString()))
        .isEqualTo(AdminClient.CALL_FAILED);

    assertThat(err.toString())
        .contains("422 validation_failed", "  path: must start with /", "  upstream: ");
    Files.writeString(file, "not json");
    assertThat(run("api", "put", "orders", "--file", file.toString()))
        .isEqualTo(AdminClient.CALL_FAILED);
    assertThat(err.toString()).contains("not a JSON object");
  }

  @Test
  void planPutGetList(@TempDir Path files) throws Exception {
    Path file =
        Files.writeString(
            files.resolve("gold.json"), "{\"rate\": {\"limit\": 50, \"per\": \"1s\"}}");

    assertThat(run("plan", "put", "gold", "--file", file.toString())).isZero();
    assertThat(out.toString()).contains("plan gold created");
    assertThat(run("plan", "list")).isZero();
    assertThat(out.toString()).contains("gold", "50/1s", "key");
    assertThat(run("plan", "get", "gold")).isZero();
    assertThat(new JsonObject(out.toString()).getJsonObject("rate").getInteger("limit"))
        .isEqualTo(50);
    assertThat(run("plan", "get", "platinum")).isEqualTo(AdminClient.CALL_FAILED);
  }

  @Test
  void aWrongTokenOrAnUnreachableGatewayExitsNonZero() {
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(
                "developer", "list", "--admin-url", adminUrl(), "--token", "wrong-token-value");
    assertThat(code).isEqualTo(AdminClient.CALL_FAILED);
    assertThat(err.toString()).contains("401 unauthorized").doesNotContain("wrong-token-value");

    int unreachable =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute("api", "list", "--admin-url", "http://127.0.0.1:1", "--token", "t");
    assertThat(unreachable).isEqualTo(AdminClient.CALL_FAILED);
    assertThat(err.toString()).contains("cannot reach http://127.0.0.1:1");
  }

  @Test
  void helpNamesTheDefaultsAndAMissingTokenIsSaidPlainly() {
    CommandLineRun help = bare("api", "list", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--admin-url", "http://127.0.0.1:8081", "XECURE_ADMIN_TOKEN");

    CommandLineRun noToken = bare("plan", "list", "--admin-url", adminUrl(), "--token", "");
    assertThat(noToken.code()).isEqualTo(AdminClient.CALL_FAILED);
    assertThat(noToken.err()).contains("no admin token");
  }

  @Test
  void keysImportStillWorksUnderBothNames(@TempDir Path files) throws Exception {
    String dev = createDeveloper("Imp");
    Path keys = Files.writeString(files.resolve("keys.txt"), "legacy-key-abcdefghijklmnop\n");

    assertThat(run("keys", "import", "--developer", dev, "--file", keys.toString())).isZero();
    assertThat(out.toString()).contains("imported 1, failed 0");
    assertThat(run("key", "import", "--developer", dev, "--file", keys.toString()))
        .isEqualTo(KeysImportCommand.LINES_FAILED);
    assertThat(gw.get("/users/1", "X-API-Key", "legacy-key-abcdefghijklmnop").statusCode())
        .isEqualTo(200);
  }

  private String createDeveloper(String name) {
    String email = name.toLowerCase(java.util.Locale.ROOT) + "@example.com";
    assertThat(run("developer", "create", "--name", name, "--email", email, "--output", "json"))
        .isZero();
    return lastJson().getString("id");
  }

  /** Runs {@code xecure ARGS --admin-url ... --token ...}; out and err hold only this run. */
  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--admin-url";
    all[args.length + 1] = adminUrl();
    all[args.length + 2] = "--token";
    all[args.length + 3] = gw.gateway().adminToken();
    return Main.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(all);
  }

  record CommandLineRun(int code, String out, String err) {}

  /** Runs {@code xecure ARGS} as given, without the admin URL and token added. */
  private static CommandLineRun bare(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(o, true))
            .setErr(new PrintWriter(e, true))
            .execute(args);
    return new CommandLineRun(code, o.toString(), e.toString());
  }

  private JsonObject lastJson() {
    return new JsonObject(out.toString());
  }

  private static String adminUrl() {
    return "http://127.0.0.1:" + gw.gateway().adminPort();
  }
}
