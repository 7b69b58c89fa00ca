package io.xecure.tls;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.xecure.config.AdminConfig;
import io.xecure.config.ApiConfig;
import io.xecure.config.GatewayConfig;
import io.xecure.config.TlsConfig;
import io.xecure.config.TlsConfig.CertificateFiles;
import io.xecure.events.RequestEvent;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.TestCertificates;
import io.xecure.testing.TestCertificates.Ca;
import io.xecure.testing.TestCertificates.Issued;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and HTTP/2 at the edge (SPEC §9), through a real gateway whose listeners use certificates
 * made for this run: key-auth, refusals and events over HTTPS and HTTP/2 as over HTTP, TLS 1.2/1.3
 * only, SNI, reloading certificate files under open connections, verified https upstreams, and the
 * admin listener over TLS.
 */
class TlsEdgeTest {
  private static final String TOKEN = "test-admin-token-0123456789abcdef";

  @TempDir static Path dir;
  static Ca ca;
  static Ca otherCa;
  static Issued a;
  static Issued b;
  static Issued renewable;
  static EchoUpstream upstream;
  static Vertx upstreamVertx;
  static HttpServer httpsUpstream;
  static final Map<String, String> upstreamSni = new ConcurrentHashMap<>();
  static GatewayHarness gw;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.ca(dir, "ca");
    otherCa = TestCertificates.ca(dir, "other-ca");
    a = ca.issue(dir, "a", "a.example.test");
    b = ca.issue(dir, "b", "b.example.test");
    renewable = ca.issue(dir, "r", "r.example.test");
    Issued upstreamCert = ca.issue(dir, "upstream", "localhost");
    upstream = new EchoUpstream();
    upstreamVertx = Vertx.vertx();
    httpsUpstream =
        upstreamVertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setSsl(true)
                    .setSni(true)
                    .setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertPath(upstreamCert.certFile().toString())
                            .setKeyPath(upstreamCert.keyFile().toString())))
            .requestHandler(
                r -> {
                  upstreamSni.put(r.path(), String.valueOf(r.connection().indicatedServerName()));
                  r.response().putHeader("content-type", "application/json").end("{\"tls\":true}");
                })
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    String secure = "https://localhost:" + httpsUpstream.actualPort();
    List<ApiConfig> apis =
        List.of(
            api("users", "/users", upstream.url()),
            ApiConfigBuilder.api("secure", "/secure", secure)
                .upstreamCa(ca.certFile().toString())
                .build(),
            ApiConfigBuilder.api("untrusted", "/untrusted", secure)
                .upstreamCa(otherCa.certFile().toString())
                .build(),
            ApiConfigBuilder.api("system", "/system", secure).build());
    GatewayConfig c = GatewayHarness.config(dir, apis);
    TlsConfig edge = new TlsConfig(List.of(files(a), files(b), files(renewable)));
    GatewayConfig tls =
        new GatewayConfig(
            c.gateway().withEdge(edge, true),
            new AdminConfig(
                0,
                "127.0.0.1",
                TOKEN,
                null,
                TlsConfig.of(a.certFile().toString(), a.keyFile().toString())),
            c.store(),
            c.cluster(),
            c.keys(),
            c.events(),
            c.plans(),
            c.apis(),
            c.retention(),
            c.alerts());
    gw = new GatewayHarness(dir, tls);
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    key = gw.issue(dev, List.of("*"), KeyStatus.ACTIVE)[0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    upstreamVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  private static CertificateFiles files(Issued issued) {
    return new CertificateFiles(issued.certFile().toString(), issued.keyFile().toString());
  }

  private static HttpClient client(HttpClient.Version version) throws Exception {
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(TestCertificates.client(ca))
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static HttpResponse<String> get(HttpClient client, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gw.port() + path))
            .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpsWithAValidKeyIsProxiedAndAWrongKeyRefused() throws Exception {
    HttpClient http = client(HttpClient.Version.HTTP_1_1);

    HttpResponse<String> ok = get(http, "/users/1", "X-API-Key", key);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(upstream.last().uri()).isEqualTo("/users/1");
    assertThat(upstream.last().header("x-forwarded-proto")).isEqualTo("https");
    assertThat(upstream.last().header("x-api-key")).isNull();

    upstream.clear();
    String wrong = gw.gateway().keyFormat().generate();
    HttpResponse<String> refused = get(http, "/users/1", "X-API-Key", wrong);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("key_invalid");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void http2OverTlsRunsTheSamePolicyChainAndRecordsRefusals() throws Exception {
    HttpClient h2 = client(HttpClient.Version.HTTP_2);

    HttpResponse<String> ok = get(h2, "/users/2?x=1", "X-API-Key", key);
    assertThat(ok.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"ok\":true}");
    assertThat(upstream.last().uri()).isEqualTo("/users/2?x=1");
    assertThat(upstream.last().header("x-api-key")).isNull();
    assertThat(upstream.last().header("x-api-key-id")).isNotBlank();

    upstream.clear();
    HttpResponse<String> missing = get(h2, "/users/2");
    assertThat(missing.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(missing.body()).getString("code")).isEqualTo("key_missing");
    assertThat(upstream.received()).isEmpty();
    String requestId = missing.headers().firstValue("x-request-id").orElseThrow();
    Optional<RequestEvent> event =
        Eventually.await(
            "the HTTP/2 refusal recorded",
            () ->
                gw.gateway().store().requestEvents(1000).stream()
                    .filter(e -> e.requestId().equals(requestId))
                    .findFirst(),
            Optional::isPresent);
    assertThat(event.orElseThrow().status()).isEqualTo(401);
    assertThat(event.orElseThrow().code()).isEqualTo("key_missing");
  }

  @Test
  void tls13AndTls12AreAcceptedAndTls11Refused() throws Exception {
    try (SSLSocket s = TestCertificates.connect(gw.port(), null, ca, "TLSv1.3")) {
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    try (SSLSocket s = TestCertificates.connect(gw.port(), null, ca, "TLSv1.2")) {
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(s.getSession().getCipherSuite()).contains("ECDHE").contains("GCM");
    }
    // the JDK's client refuses TLS 1.1 itself, so ask openssl, allowed to offer it
    assumeTrue(
        new ProcessBuilder("openssl", "version").start().waitFor() == 0, "openssl not found");
    assertThat(openssl("-tls1_2"))
        .as("openssl over TLS 1.2 (the control)")
        .contains("Protocol  : TLSv1.2")
        .doesNotContain("Cipher is (NONE)");
    assertThat(openssl("-tls1_1")).contains("alert protocol version").contains("Cipher is (NONE)");
  }

  private static String openssl(String protocol) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + gw.port(),
                protocol,
                "-cipher",
                "DEFAULT:@SECLEVEL=0")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void sniChoosesTheCertificateAndTheFirstIsTheDefault() throws Exception {
    assertThat(served("a.example.test")).isEqualTo("CN=a.example.test");
    assertThat(served("b.example.test")).isEqualTo("CN=b.example.test");
    assertThat(served("B.Example.Test")).isEqualTo("CN=b.example.test");
    assertThat(served("c.example.test")).isEqualTo("CN=a.example.test");
    assertThat(served(null)).isEqualTo("CN=a.example.test");
  }

  private static String served(@Nullable String sni) throws Exception {
    try (SSLSocket s = TestCertificates.connect(gw.port(), sni, ca)) {
      return TestCertificates.served(s);
    }
  }

  @Test
  void replacedCertificateFilesServeNewHandshakesWhileOpenConnectionsCarryOn() throws Exception {
    Issued renewed = ca.issue(dir, "r-renewed", "r.example.test");
    try (SSLSocket open = TestCertificates.connect(gw.port(), "r.example.test", ca)) {
      assertThat(serial(open)).isEqualTo(renewable.cert().getSerialNumber());
      assertThat(request(open)).startsWith("HTTP/1.1 200");

      renewed.copyTo(renewable);

      Eventually.await(
          "a new handshake gets the renewed certificate",
          () -> {
            try (SSLSocket fresh = TestCertificates.connect(gw.port(), "r.example.test", ca)) {
              return serial(fresh);
            }
          },
          serial -> serial.equals(renewed.cert().getSerialNumber()));
      assertThat(request(open)).as("the connection opened before").startsWith("HTTP/1.1 200");
    }
  }

  private static java.math.BigInteger serial(SSLSocket socket) throws Exception {
    return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
        .getSerialNumber();
  }

  /** One keep-alive request on {@code socket}; the status line and headers read. */
  private static String request(SSLSocket socket) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /users/keep HTTP/1.1\r\nHost: r.example.test\r\nX-API-Key: " + key + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    int length = 0;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      head.append(line).append("\n");
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    for (int i = 0; i < length; i++) {
      in.read();
    }
    return head.toString();
  }

  @Test
  void http11OverTlsKeepsStrictFraming() throws Exception {
    try (SSLSocket s = TestCertificates.connect(gw.port(), null, ca)) {
      s.getOutputStream()
          .write(
              ("POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                      + key
                      + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(reply).startsWith("HTTP/1.1 400").contains("\"code\":\"bad_request\"");
    }
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void httpsUpstreamIsVerifiedAgainstTheConfiguredCaWithSni() throws Exception {
    HttpClient http = client(HttpClient.Version.HTTP_1_1);

    HttpResponse<String> ok = get(http, "/secure/a", "X-API-Key", key);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"tls\":true}");
    assertThat(upstreamSni.get("/secure/a")).isEqualTo("localhost");

    for (String path : List.of("/untrusted/a", "/system/a")) {
      HttpResponse<String> refused = get(http, path, "X-API-Key", key);
      assertThat(refused.statusCode()).as(path).isEqualTo(502);
      assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(new JsonObject(refused.body()).getString("code"))
          .isEqualTo("upstream_unavailable");
    }
    assertThat(upstreamSni).doesNotContainKeys("/untrusted/a", "/system/a");
  }

  @Test
  void adminListenerSpeaksTls() throws Exception {
    HttpClient http = client(HttpClient.Version.HTTP_1_1);
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + gw.gateway().adminPort() + "/admin/developers"))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(10))
            .build();

    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Ada");
    HttpClient systemTrust = HttpClient.newHttpClient();
    assertThatThrownBy(() -> systemTrust.send(request, HttpResponse.BodyHandlers.ofString()))
        .as("the admin certificate is the test CA's, not one the system trusts")
        .isInstanceOf(SSLHandshakeException.class);
  }
}
