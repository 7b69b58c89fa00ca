package io.xecure.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.portal.PortalFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code xecure developer allow|invite}: the link printed lets the developer set its password. */
class PortalCommandsTest {
  @TempDir Path dir;
  private PortalFixture portal;
  private StringWriter out = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    portal = new PortalFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    portal.close();
  }

  @Test
  void invitePrintsASingleUseLinkThatSetsThePortalPassword() throws Exception {
    assertThat(
            run(
                "developer",
                "create",
                "--name",
                "Eve",
                "--email",
                "eve@example.com",
                "--output",
                "json"))
        .isZero();
    String id = new JsonObject(out.toString()).getString("id");
    assertThat(run("developer", "allow", id, "--apis", "users", "--max-keys", "3")).isZero();
    assertThat(out.toString()).contains("max_keys 3");
    assertThat(run("developer", "allow", id, "--apis", "nope", "--max-keys", "3"))
        .isEqualTo(AdminClient.CALL_FAILED);

    assertThat(run("developer", "invite", id, "--expires-in", "1h")).isZero();
    Matcher link = Pattern.compile("(http://\\S+/invite/(xpi_\\w+))").matcher(out.toString());
    assertThat(link.find()).as(out.toString()).isTrue();
    HttpClient http = HttpClient.newHttpClient();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(link.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> accepted =
        http.send(
            HttpRequest.newBuilder(URI.create(portal.portal("/portal/api/invitations/accept")))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject()
                            .put("token", link.group(2))
                            .put("password", "eve's long password")
                            .encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(run("developer", "invite", id, "--expires-in", "forever"))
        .isEqualTo(AdminClient.CALL_FAILED);
  }

  private int run(String... args) {
    out = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--admin-url";
    all[args.length + 1] = "http://127.0.0.1:" + portal.gateway.adminPort();
    all[args.length + 2] = "--token";
    all[args.length + 3] = portal.gateway.adminToken();
    return Main.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(new StringWriter(), true))
        .execute(all);
  }
}
