package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static io.xecure.testing.LimitsConfigBuilder.limits;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.xecure.config.LimitsConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.RawUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upstream connection pool as an upstream sees it: connections kept alive and reused, closed
 * ones replaced, at most {@code max_upstream_connections} open, {@code 100 Continue} passed on.
 */
class UpstreamPoolTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static HttpServer upstream;
  static GatewayHarness gw;
  static String key;
  static final Set<String> connections = ConcurrentHashMap.newKeySet();
  static final AtomicInteger open = new AtomicInteger();
  static final AtomicInteger mostOpen = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .connectionHandler(
                c -> {
                  mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                  c.closeHandler(v -> open.decrementAndGet());
                })
            .requestHandler(UpstreamPoolTest::answer)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    LimitsConfig two = limits().maxUpstreamConnections(2).build();
    gw =
        new GatewayHarness(
            dir, List.of(api("users", "/users", "http://127.0.0.1:" + upstream.actualPort())), two);
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
  }

  private static void answer(HttpServerRequest request) {
    connections.add(request.connection().remoteAddress().toString());
    String path = request.path();
    if (path.endsWith("/close")) {
      request.response().putHeader("connection", "close").end("{\"closed\":true}");
    } else if (path.endsWith("/slow")) {
      vertx.setTimer(300, t -> request.response().end("{\"slow\":true}"));
    } else if (path.endsWith("/continue")) {
      request.response().writeContinue();
      request.body().onSuccess(b -> request.response().end("{\"got\":" + b.length() + "}"));
    } else if (path.endsWith("/trailers")) {
      // a chunked answer ending with three trailer fields
      HttpServerResponse response = request.response().setChunked(true);
      response.putTrailer("X-Checksum", "abc").putTrailer("X-Count", "2").putTrailer("X-N", "3");
      response.write("{\"part\":1},").compose(v -> response.end("{\"part\":2}"));
    } else {
      request.response().putHeader("content-type", "application/json").end("{\"ok\":true}");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clear() {
    connections.clear();
    mostOpen.set(open.get());
  }

  @Test
  void oneKeepAliveConnectionServesRequestsInTurn() throws Exception {
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = gw.get("/users/" + i, "X-API-Key", key);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"ok\":true}");
    }
    assertThat(connections).hasSize(1);
  }

  @Test
  void aChunkedAnswerEndingWithTrailersLeavesItsConnectionFitForTheNext() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = gw.get("/users/trailers", "X-API-Key", key);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"part\":1},{\"part\":2}");
      assertThat(gw.get("/users/" + i, "X-API-Key", key).body()).isEqualTo("{\"ok\":true}");
    }
    assertThat(connections).hasSize(1);
  }

  /**
   * A trailer field the decoder refuses (a DEL in its value) ends that upstream connection: the
   * decoder reads nothing more on it, so the next request must go out on another rather than wait
   * there for an answer that is never read.
   */
  @Test
  void aConnectionWhoseTrailerIsRefusedIsClosedNotReused() throws Exception {
    String bad =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Bad: a\u007fb\r\n\r\n";
    String ok = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";
    AtomicInteger answered = new AtomicInteger();
    try (RawUpstream raw = new RawUpstream(head -> answered.getAndIncrement() == 0 ? bad : ok);
        GatewayHarness other =
            new GatewayHarness(
                dir.resolve("bad-trailer"), List.of(api("raw", "/raw", raw.url())))) {
      String k =
          other
              .issue(other.developer("Bo", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[
              0];
      try {
        other.get("/raw/first", "X-API-Key", k); // broken: cut, whatever came before the end
      } catch (java.io.IOException e) {
        // the client saw the cut
      }
      HttpResponse<String> next = other.get("/raw/next", "X-API-Key", k);

      assertThat(next.statusCode()).isEqualTo(200);
      assertThat(next.body()).isEqualTo("{\"ok\":true}");
      assertThat(raw.accepted()).isEqualTo(2);
    }
  }

  @Test
  void aConnectionTheUpstreamClosesIsReplacedNotReused() throws Exception {
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = gw.get("/users/close", "X-API-Key", key);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"closed\":true}");
      // the upstream's Connection header is its own: the client keeps its connection
      assertThat(r.headers().firstValue("connection")).isEmpty();
    }
    assertThat(connections).hasSize(5);
    assertThat(gw.get("/users/after", "X-API-Key", key).statusCode()).isEqualTo(200);
  }

  @Test
  void noMoreThanMaxUpstreamConnectionsAreOpenAndTheRestWaitTheirTurn() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    for (int i = 0; i < 6; i++) {
      calls.add(
          client.sendAsync(
              gw.request("/users/slow").header("X-API-Key", key).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.get(20, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"slow\":true}");
    }
    assertThat(mostOpen.get()).isLessThanOrEqualTo(2);
    assertThat(connections).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void aHundredContinueFromTheUpstreamReachesTheClient() throws Exception {
    try (var s = new java.net.Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(10_000);
      var out = s.getOutputStream();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
      out.write(
          ("POST /users/continue HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                  + key
                  + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
      in.readLine(); // the blank line after it
      out.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      String line;
      while (!(line = in.readLine()).isEmpty()) {
        // headers
      }
      char[] body = new char[11];
      int n = in.read(body);
      assertThat(new String(body, 0, n)).isEqualTo("{\"got\":5}");
    }
  }

  /**
   * An upstream that answers with bytes that are not HTTP, or with a header field no client may be
   * sent (a DEL in its value): 502, never its bytes passed on.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\nINJECTED",
        "HTTP/1.1 200 OK\r\nX-Bad: a\u007fb\r\nContent-Length: 8\r\n\r\nINJECTED"
      })
  void aResponseThatIsNotHttpIs502AndNothingOfItReachesTheClient(String response) throws Exception {
    try (java.net.ServerSocket bad =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread answer =
          new Thread(
              () -> {
                try (java.net.Socket s = bad.accept()) {
                  s.setSoTimeout(5_000);
                  s.getInputStream().read(new byte[4096]);
                  s.getOutputStream()
                      .write(response.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                  s.getOutputStream().flush();
                  Thread.sleep(500);
                } catch (Exception e) {
                  // the test's assertions say what went wrong
                }
              });
      answer.start();
      try (GatewayHarness other =
          new GatewayHarness(
              dir.resolve("bad-" + Integer.toHexString(response.hashCode())),
              List.of(api("bad", "/bad", "http://127.0.0.1:" + bad.getLocalPort())))) {
        String k =
            other
                .issue(
                    other.developer("Bo", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[
                0];
        HttpResponse<String> r = other.get("/bad/x", "X-API-Key", k);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("upstream_unavailable").doesNotContain("INJECTED");
      }
      answer.join(10_000);
    }
  }
}
