package io.xecure.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.xecure.config.TlsConfig;
import io.xecure.pem.PemException;
import io.xecure.testing.TestCertificates;
import io.xecure.testing.TestCertificates.Ca;
import io.xecure.testing.TestCertificates.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Reloading a listener's certificate files: a change that loads is taken, a bad one is not. */
class ListenerTlsTest {
  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private boolean check(ListenerTls tls) throws Exception {
    return tls.check(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void listenersUseBoringSslWhereItShips() {
    // the packaged jar carries BoringSSL for Linux x86_64: a listener built there must use it
    assertThat(ListenerTls.ENGINE).isInstanceOf(OpenSSLEngineOptions.class);
  }

  @Test
  void reloadsOnlyAChangeThatLoadsAndLogsNoKeyMaterial() throws Exception {
    Ca ca = TestCertificates.ca(dir, "ca");
    Issued current = ca.issue(dir, "site", "site.example.test");
    Issued other = ca.issue(dir, "other", "site.example.test");
    TlsConfig config = TlsConfig.of(current.certFile().toString(), current.keyFile().toString());
    ListenerTls tls = ListenerTls.load("gateway.tls", config);
    tls.apply(new HttpServerOptions(), true);

    assertThat(check(tls)).as("nothing changed").isFalse();

    // a renewal half done: the new certificate next to the old key
    Files.copy(
        other.certFile(), current.certFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(check(tls)).as("a key that does not match is not taken").isFalse();

    Files.copy(
        other.keyFile(), current.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(check(tls)).as("the renewal completed").isTrue();
    assertThat(check(tls)).as("and only once").isFalse();
  }

  @Test
  void aStartWithABadFileNamesTheFieldAndNeverTheKey() throws Exception {
    Ca ca = TestCertificates.ca(dir, "ca");
    Issued site = ca.issue(dir, "site", "site.example.test");
    Issued other = ca.issue(dir, "other", "site.example.test");
    String otherKey = Files.readString(other.keyFile());
    TlsConfig mismatched = TlsConfig.of(site.certFile().toString(), other.keyFile().toString());

    assertThatThrownBy(() -> ListenerTls.load("admin.tls", mismatched))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("admin.tls.key: does not match the certificate")
        .hasMessageNotContaining(otherKey.substring(30, 60));
  }
}
