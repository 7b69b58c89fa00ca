package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.RawHttp;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling (SPEC §5 "Framing"): every request whose framing is ambiguous is answered 400
 * and its connection closed, so the bytes after it are never read as a request. Each case is
 * followed on the same connection by a second, valid request that must never be served.
 */
class RequestFramingProxyTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    gw = new GatewayHarness(dir, List.of(api("users", "/users", upstream.url())));
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  /** A head up to the headers that follow the request line; the case adds its framing. */
  private static String post(String version, String framing) {
    return "POST /users/first "
        + version
        + "\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nX-API-Key: KEY\r\n"
        + framing;
  }

  private static final String SMUGGLED =
      "GET /users/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: KEY\r\n\r\n";

  static Stream<Arguments> ambiguous() {
    return Stream.of(
        Arguments.of(
            "HTTP/1.0 keep-alive with Content-Length and chunked",
            post(
                "HTTP/1.0",
                "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED)),
        Arguments.of(
            "HTTP/1.1 with Content-Length and chunked",
            post("HTTP/1.1", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                + SMUGGLED),
        Arguments.of(
            "a prefix of chunked",
            post("HTTP/1.1", "Transfer-Encoding: chunk\r\n\r\n0\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "identity without Content-Length",
            post("HTTP/1.1", "Transfer-Encoding: identity\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "chunked on HTTP/1.0",
            post("HTTP/1.0", "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "identity on HTTP/1.0",
            post("HTTP/1.0", "Transfer-Encoding: identity\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "chunked twice in one list",
            post("HTTP/1.1", "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "gzip then chunked",
            post("HTTP/1.1", "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "two Transfer-Encoding headers",
            post("HTTP/1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")
                + "0\r\n\r\n"
                + SMUGGLED),
        Arguments.of(
            "chunked in another case",
            post("HTTP/1.1", "Transfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "chunked behind a vertical tab",
            post("HTTP/1.1", "Transfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "a space before the colon",
            post("HTTP/1.1", "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "Content-Length with a plus sign",
            post("HTTP/1.1", "Content-Length: +5\r\n\r\nhello") + SMUGGLED),
        Arguments.of(
            "Content-Length with leading zeros",
            post("HTTP/1.1", "Content-Length: 005\r\n\r\nhello") + SMUGGLED),
        Arguments.of(
            "Content-Length as a list",
            post("HTTP/1.1", "Content-Length: 5, 5\r\n\r\nhello") + SMUGGLED),
        Arguments.of(
            "two Content-Lengths on HTTP/1.0",
            post("HTTP/1.0", "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello") + SMUGGLED),
        Arguments.of(
            "two Content-Lengths on HTTP/1.1",
            post("HTTP/1.1", "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello") + SMUGGLED),
        Arguments.of(
            "an obs-fold continuation line",
            post("HTTP/1.1", "X-Note: a\r\n Transfer-Encoding: chunked\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "a folded Transfer-Encoding",
            post("HTTP/1.1", "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n") + SMUGGLED),
        Arguments.of(
            "bare LF line ends",
            "GET /users/first HTTP/1.1\nHost: 127.0.0.1\nX-API-Key: KEY\n\n" + SMUGGLED),
        Arguments.of(
            "a bad chunk size with the head",
            post("HTTP/1.1", "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n")
                + SMUGGLED),
        Arguments.of(
            "a chunk-size line ended by a bare LF",
            post("HTTP/1.1", "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n") + SMUGGLED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguous")
  void ambiguousFramingIs400AndTheConnectionIsClosed(String name, String raw) throws Exception {
    RawHttp.Reply reply = RawHttp.untilClosed(gw.port(), raw.replace("KEY", key));

    assertThat(reply.text()).matches("(?s)HTTP/1\\.[01] 400 .*");
    assertThat(reply.closed()).as("the gateway closed the connection").isTrue();
    assertThat(reply.responses()).as("responses on the connection").isEqualTo(1);
    assertThat(reply.text()).doesNotContain(key);
    assertThat(upstream.received()).as("requests the upstream saw").isEmpty();
  }

  @Test
  void unambiguousRequestsOnOneConnectionAreAllServed() throws Exception {
    String raw =
        post("HTTP/1.1", "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
            + post("HTTP/1.1", "Content-Length: 5\r\n\r\nworld").replace("first", "second")
            + SMUGGLED.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");

    RawHttp.Reply reply = RawHttp.untilClosed(gw.port(), raw.replace("KEY", key));

    assertThat(reply.responses()).as(reply.text()).isEqualTo(3);
    assertThat(reply.text()).doesNotContain(" 400 ");
    assertThat(upstream.received())
        .extracting(r -> r.uri() + " " + r.body())
        .containsExactly("/users/first hello", "/users/second world", "/users/smuggled ");
  }
}
