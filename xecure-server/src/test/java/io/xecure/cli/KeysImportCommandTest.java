package io.xecure.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.admin.AdminFixture;
import io.xecure.keys.KeyOutcome;
import io.xecure.testing.MemoryStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against a live admin API: counts and line numbers printed, keys never. */
class KeysImportCommandTest {
  private static final String GOOD = "legacy-key-0123456789abcdef";
  private AdminFixture admin;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    admin = new AdminFixture(new MemoryStore());
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
  }

  @Test
  void importsAndReportsFailedLines(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("keys.txt"), GOOD + "\nshort\n" + GOOD + "\n");
    String dev = admin.developer("cli");
    int code = run("--developer", dev, "--file", file.toString(), "--apis", "users");
    assertThat(code).isEqualTo(KeysImportCommand.LINES_FAILED);
    assertThat(out.toString())
        .contains("imported 1, failed 2", "line 2: too short", "line 3: duplicate")
        .doesNotContain(GOOD);
    assertThat(admin.verify(GOOD)).isEqualTo(KeyOutcome.VALID);
  }

  @Test
  void jsonOutputAndCleanImportExitZero(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("keys.txt"), GOOD + "\n");
    int code =
        run("--developer", admin.developer("json"), "--file", file.toString(), "--output", "json");
    assertThat(code).isZero();
    assertThat(new JsonObject(out.toString().trim()).getInteger("imported")).isEqualTo(1);
  }

  @Test
  void failedCallsExitNonZero(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("keys.txt"), GOOD + "\n");
    assertThat(run("--developer", "dev_missing", "--file", file.toString()))
        .isEqualTo(KeysImportCommand.CALL_FAILED);
    assertThat(err.toString()).contains("404 not_found");
    String dev = admin.developer("tok");
    int code =
        new CommandLine(new KeysImportCommand())
            .setErr(new PrintWriter(err))
            .execute(
                "--developer",
                dev,
                "--file",
                file.toString(),
                "--admin-url",
                admin.baseUrl(),
                "--token",
                "wrong");
    assertThat(code).isEqualTo(KeysImportCommand.CALL_FAILED);
    assertThat(err.toString()).contains("401 unauthorized").doesNotContain(GOOD);
  }

  private int run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--admin-url";
    all[args.length + 1] = admin.baseUrl();
    all[args.length + 2] = "--token";
    all[args.length + 3] = AdminFixture.TOKEN;
    return new CommandLine(new KeysImportCommand())
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(all);
  }
}
