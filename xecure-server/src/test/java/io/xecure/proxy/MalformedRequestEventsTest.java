package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.events.RequestEvent;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.RawHttp;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the HTTP decoder refuses are refusals like any other (SPEC §7): each is answered with
 * its status and code and leaves an event, which feeds the metrics and the access log.
 */
class MalformedRequestEventsTest {
  private static final Pattern REQUEST_ID = Pattern.compile("(?i)x-request-id: (\\S+)");

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;

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

  static Stream<Arguments> malformed() {
    String head = "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    return Stream.of(
        Arguments.of("a bad request line", "NOT HTTP\r\n\r\n", 400, "bad_request"),
        Arguments.of(
            "a header too large",
            "GET /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(17_000) + "\r\n\r\n",
            431,
            "header_too_large"),
        Arguments.of(
            "a URI too long",
            "GET /users/" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            414,
            "uri_too_long"),
        Arguments.of(
            "a bad chunk size",
            head + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n",
            400,
            "bad_request"),
        Arguments.of(
            "ambiguous framing",
            head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            "bad_request"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void isAnsweredWithItsStatusAndRecorded(String name, String raw, int status, String code)
      throws Exception {
    RawHttp.Reply reply = RawHttp.untilClosed(gw.port(), raw);

    assertThat(reply.text()).startsWith("HTTP/1.").contains(" " + status + " ");
    assertThat(reply.text()).contains("\"code\":\"" + code + "\"");
    Matcher id = REQUEST_ID.matcher(reply.text());
    assertThat(id.find()).as("a request id in " + reply.text()).isTrue();
    String requestId = id.group(1);

    Optional<RequestEvent> event =
        Eventually.await(
            "the refusal recorded",
            () ->
                gw.gateway().store().requestEvents(1000).stream()
                    .filter(e -> e.requestId().equals(requestId))
                    .findFirst(),
            Optional::isPresent);
    RequestEvent e = event.orElseThrow();
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.outcome()).isEqualTo("denied");
    assertThat(e.clientIp()).isEqualTo("127.0.0.1");
    assertThat(upstream.received()).isEmpty();
  }
}
