package io.xecure.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.xecure.config.ConfigException;
import io.xecure.config.ConfigLoader;
import io.xecure.config.GatewayConfig;
import io.xecure.config.TlsConfig;
import io.xecure.testing.TestCertificates;
import io.xecure.testing.TestCertificates.Ca;
import io.xecure.testing.TestCertificates.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS settings are checked when the configuration is read (so {@code xecure serve} and {@code
 * xecure validate} exit 2): one line per problem, naming the field and the file, never the key.
 */
class TlsConfigErrorsTest {
  @TempDir static Path dir;
  static Issued site;
  static Issued other;
  static Ca ca;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.ca(dir, "ca");
    site = ca.issue(dir, "site", "site.example.test");
    other = ca.issue(dir, "other", "other.example.test");
  }

  private static List<String> problems(String yaml) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));
    assertThat(e).as("expected a ConfigException").isNotNull();
    String siteKey = read(site.keyFile()) + read(other.keyFile());
    for (String problem : e.problems()) {
      assertThat(problem).doesNotContain("\n");
      // no line of any private key's body appears in a message
      siteKey
          .lines()
          .filter(l -> l.length() > 20)
          .forEach(l -> assertThat(problem).doesNotContain(l));
    }
    return e.problems();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aValidPairWithSniCertificatesLoads() throws Exception {
    GatewayConfig c =
        ConfigLoader.parse(
            "gateway:\n  tls:\n    cert: %s\n    key: %s\n    sni:\n      - { cert: %s, key: %s }\nadmin: { tls: { cert: %s, key: %s } }\n"
                .formatted(
                    site.certFile(),
                    site.keyFile(),
                    other.certFile(),
                    other.keyFile(),
                    site.certFile(),
                    site.keyFile()),
            Map.of());

    assertThat(java.util.Objects.requireNonNull(c.gateway().tls()).certificates())
        .extracting(TlsConfig.CertificateFiles::cert)
        .containsExactly(site.certFile().toString(), other.certFile().toString());
    assertThat(c.gateway().http2()).isTrue();
    assertThat(c.admin().tls()).isNotNull();
  }

  @Test
  void aMissingFileIsOneLine() {
    Path missing = dir.resolve("nope.pem");
    assertThat(
            problems("gateway: { tls: { cert: %s, key: %s } }".formatted(missing, site.keyFile())))
        .containsExactly("gateway.tls.cert: " + missing + ": no such file");
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificate() {
    assertThat(
            problems(
                "admin: { tls: { cert: %s, key: %s } }"
                    .formatted(site.certFile(), other.keyFile())))
        .containsExactly("admin.tls.key: does not match the certificate " + site.certFile());
  }

  @Test
  void badPemInEitherFile() throws Exception {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(
        garbage, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    Path certAsKey = site.certFile();

    assertThat(
            problems(
                """
                gateway:
                  tls:
                    cert: %s
                    key: %s
                    sni: [ { cert: %s, key: %s } ]
                """
                    .formatted(site.certFile(), garbage, garbage, certAsKey)))
        .containsExactly(
            "gateway.tls.key: "
                + garbage
                + ": not a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)",
            "gateway.tls.sni[0].cert: "
                + garbage
                + ": no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }

  @Test
  void protocolsThatDoNotFitTheListener() {
    assertThat(problems("gateway: { http2: true, tls: { cert: x } }"))
        .contains("gateway.tls.key: required");
    assertThat(problems("gateway: { http2: true }"))
        .containsExactly("gateway.http2: needs gateway.tls (HTTP/2 is offered by ALPN over TLS)");
    assertThat(
            problems(
                "gateway: { h2c: true, tls: { cert: %s, key: %s, ciphers: all } }"
                    .formatted(site.certFile(), site.keyFile())))
        .containsExactly(
            "gateway.tls.ciphers: unknown field",
            "gateway.h2c: is cleartext HTTP/2; with gateway.tls, HTTP/2 is offered by ALPN"
                + " (gateway.http2)");
  }

  @Test
  void anUpstreamCaMustBeReadable() {
    Path missing = dir.resolve("missing-ca.pem");
    assertThat(
            problems(
                """
                apis:
                  - { name: a, path: /a, upstream: "https://localhost:9443", upstream_ca: %s }
                """
                    .formatted(missing)))
        .containsExactly("apis[0].upstream_ca: " + missing + ": no such file");
  }
}
