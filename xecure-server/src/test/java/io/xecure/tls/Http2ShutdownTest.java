package io.xecure.tls;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xecure.config.LimitsConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.Curl;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.TestCertificates;
import io.xecure.testing.TestCertificates.Ca;
import io.xecure.testing.TestCertificates.Issued;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway shutting down lets the HTTP/2 streams in flight finish, then stops. */
class Http2ShutdownTest {
  @TempDir Path dir;

  @Test
  void aStreamInFlightIsAnsweredWhileTheGatewayStops() throws Exception {
    assumeTrue(Curl.speaksHttp2(), "curl with HTTP/2 not found");
    Ca ca = TestCertificates.ca(dir, "ca");
    Issued edge = ca.issue(dir, "edge", "localhost");
    try (EchoUpstream upstream = new EchoUpstream()) {
      GatewayHarness gw =
          GatewayHarness.overTls(
              dir, List.of(api("users", "/users", upstream.url())), edge, LimitsConfig.DEFAULT);
      String key =
          gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
      int port = gw.port();
      // curl, not the JDK's client: Java 17's fails every open stream on GOAWAY (JDK-8335181)
      Process curl =
          new ProcessBuilder(
                  "curl",
                  "--http2",
                  "--silent",
                  "--show-error",
                  "--max-time",
                  "20",
                  "--cacert",
                  ca.certFile().toString(),
                  "--header",
                  "X-API-Key: " + key,
                  "--write-out",
                  "\n%{http_version} %{http_code}",
                  "https://localhost:" + port + "/users/slow")
              .redirectErrorStream(true)
              .start();
      // the upstream holds /slow for two seconds once it has the request
      Eventually.await("the request reached the upstream", upstream::received, r -> !r.isEmpty());

      CompletableFuture<Void> closed = CompletableFuture.runAsync(gw::close);

      assertThat(curl.waitFor(25, TimeUnit.SECONDS)).isTrue();
      String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(out).isEqualTo("{\"ok\":true}\n2 200");
      assertThat(curl.exitValue()).isZero();
      closed.get(30, TimeUnit.SECONDS);
      assertThat(closed).isCompleted();
    }
  }
}
