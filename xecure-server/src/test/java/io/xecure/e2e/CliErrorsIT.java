package io.xecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees when the configuration or the machine is wrong: exit status and stderr. */
class CliErrorsIT {
  @TempDir Path dir;

  @Test
  void validateReportsEveryProblemWithItsPath() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        gateway: { port: 99999 }
        admin: { port: 8081, bind: 127.0.0.1 }
        apis:
          - name: users
            path: /users
            upstream: ftp://example.com
          - name: orders
            path: orders
            upstream: http://127.0.0.1:9000
        """);
    XecureProcess validate =
        XecureProcess.run(dir, "validate", Map.of(), "validate", "--config", bad.toString());

    assertThat(validate.exitValue()).as(validate.dump()).isEqualTo(2);
    String err = validate.stderr();
    assertThat(err).contains("gateway.port:", "apis[0].upstream:", "apis[1].path:");
    assertNoStackTrace(err);
    assertThat(validate.stdout()).doesNotContain("ok:");
  }

  @Test
  void serveOnABusyPortSaysSoInOneLine() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      Path config =
          ConfigFiles.serve(
              dir,
              port,
              XecureProcess.freePort(),
              "http://127.0.0.1:9",
              "[ \"header:X-API-Key\" ]");
      long start = System.nanoTime();
      try (XecureProcess serve =
          XecureProcess.start(
              dir,
              "serve",
              Map.of("XECURE_ADMIN_TOKEN", ConfigFiles.token()),
              "serve",
              "--config",
              config.toString())) {
        int exit = serve.awaitExit(Duration.ofSeconds(30));
        System.out.println(
            "[e2e] serve on a busy port: exit "
                + exit
                + " after "
                + Duration.ofNanos(System.nanoTime() - start).toMillis()
                + " ms");

        assertThat(exit).as(serve.dump()).isNotZero();
        List<String> lines = serve.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertNoStackTrace(serve.stderr());
        assertThat(lines).as(serve.dump()).hasSize(1);
        assertThat(lines.get(0)).contains(String.valueOf(port)).contains("in use");
      }
    }
  }

  @Test
  void serveRefusesAnExposedAdminPortWithAShortToken() throws Exception {
    Path config =
        ConfigFiles.serve(
            dir,
            XecureProcess.freePort(),
            XecureProcess.freePort(),
            "http://127.0.0.1:9",
            "[ \"header:X-API-Key\" ]");
    try (XecureProcess serve =
        XecureProcess.start(
            dir,
            "serve",
            Map.of("XECURE_ADMIN_TOKEN", "short-token-1234", "XECURE_ADMIN_BIND", "0.0.0.0"),
            "serve",
            "--config",
            config.toString())) {
      int exit = serve.awaitExit(Duration.ofSeconds(30));

      assertThat(exit).as(serve.dump()).isEqualTo(2);
      assertThat(serve.stderr()).contains("admin.token:").doesNotContain("short-token-1234");
      assertNoStackTrace(serve.stderr());
    }
  }

  private static void assertNoStackTrace(String stderr) {
    assertThat(stderr.lines())
        .as("stderr holds a stack trace:\n" + stderr)
        .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:"));
  }
}
