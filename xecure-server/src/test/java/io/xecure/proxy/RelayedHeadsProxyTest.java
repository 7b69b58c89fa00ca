package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.RawHttp;
import io.xecure.testing.RawUpstream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heads travel as they were written, both ways, whatever the decoders make of the usual names: a
 * client's header names reach the upstream as spelled, and an upstream's answer reaches the client
 * as the upstream wrote it, status line included; each answer is read as the answer to its own
 * request's method. A raw upstream answers each path with a scripted head and keeps the head it
 * received.
 */
class RelayedHeadsProxyTest {
  private static final String MISSING =
      "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nno";

  private static final Map<String, String> ANSWERS =
      Map.of(
          "/raw/usual",
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"v1\"\r\n"
              + "Cache-Control: no-store\r\nContent-Length: 2\r\n\r\nok",
          "/raw/lower",
          "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\netag: \"v2\"\r\n"
              + "x-powered-by: tests\r\ncontent-length: 2\r\n\r\nok",
          "/raw/odd",
          "HTTP/1.1 200 Fine\r\nCONTENT-TYPE: text/plain\r\nEtAg: \"v3\"\r\n"
              + "X-Made-Up: yes\r\nContent-Length: 2\r\n\r\nok",
          "/raw/missing",
          MISSING,
          "/raw/early-hints",
          // to a HEAD: an interim answer, then the final one's head, whose length is a GET's
          "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
              + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n",
          "/raw/unusual-code",
          "HTTP/1.1 299 Custom\r\nContent-Length: 2\r\n\r\nok");

  @TempDir static Path dir;
  static RawUpstream raw;
  static GatewayHarness gw;
  static String key;
  static final Map<String, String> received = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    raw =
        new RawUpstream(
            head -> {
              String target = RawUpstream.target(head);
              received.put(target, head);
              return ANSWERS.getOrDefault(target, MISSING);
            });
    gw = new GatewayHarness(dir, List.of(api("raw", "/raw", raw.url())));
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    raw.close();
  }

  private static String answerTo(String path) throws Exception {
    return RawHttp.exchange(
        gw.port(),
        "GET "
            + path
            + " HTTP/1.1\r\nHost: a\r\nX-API-Key: "
            + key
            + "\r\nConnection: close\r\n\r\n");
  }

  @Test
  void theUsualNamesInTheirUsualSpellingArriveAsSent() throws Exception {
    String answer = answerTo("/raw/usual");

    assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(answer)
        .contains("\r\nContent-Type: application/json\r\n")
        .contains("\r\nETag: \"v1\"\r\n")
        .contains("\r\nCache-Control: no-store\r\n");
    assertThat(answer).endsWith("\r\n\r\nok");
  }

  @Test
  void namesInLowerCaseArriveInLowerCase() throws Exception {
    String answer = answerTo("/raw/lower");

    assertThat(answer)
        .contains("\r\ncontent-type: text/plain\r\n")
        .contains("\r\netag: \"v2\"\r\n")
        .contains("\r\nx-powered-by: tests\r\n");
  }

  @Test
  void namesInAnyOtherSpellingAndAnUnusualReasonArriveAsSent() throws Exception {
    String answer = answerTo("/raw/odd");

    assertThat(answer).startsWith("HTTP/1.1 200 Fine\r\n");
    assertThat(answer)
        .contains("\r\nCONTENT-TYPE: text/plain\r\n")
        .contains("\r\nEtAg: \"v3\"\r\n")
        .contains("\r\nX-Made-Up: yes\r\n");
  }

  @Test
  void theStatusLineOfAnotherCodeArrivesAsSent() throws Exception {
    assertThat(answerTo("/raw/missing")).startsWith("HTTP/1.1 404 Not Found\r\n").endsWith("no");
    assertThat(answerTo("/raw/unusual-code")).startsWith("HTTP/1.1 299 Custom\r\n").endsWith("ok");
  }

  @Test
  void aClientsHeaderNamesReachTheUpstreamAsSpelled() throws Exception {
    RawHttp.exchange(
        gw.port(),
        "GET /raw/usual?spelling HTTP/1.1\r\nHost: a\r\nX-API-Key: "
            + key
            + "\r\nAccept-Encoding: gzip\r\naccept-language: en\r\nUSER-AGENT: raw\r\n"
            + "X-Made-Up: yes\r\nConnection: close\r\n\r\n");

    assertThat(received.get("/raw/usual?spelling"))
        .contains("\r\nAccept-Encoding: gzip\r\n")
        .contains("\r\naccept-language: en\r\n")
        .contains("\r\nUSER-AGENT: raw\r\n")
        .contains("\r\nX-Made-Up: yes\r\n");
  }

  /**
   * The method of a request is the final answer's, not an interim one's: the HEAD's answer after a
   * 103 has no body whatever its length says, and the connections go on (Netty's own client codec
   * paired the 103 with the HEAD and would wait for two bytes that never come).
   */
  @Test
  void aHeadAnsweredAfterAnInterimAnswerHasNoBody() throws Exception {
    RawHttp.Reply reply =
        RawHttp.untilClosed(
            gw.port(),
            "HEAD /raw/early-hints HTTP/1.1\r\nHost: a\r\nX-API-Key: "
                + key
                + "\r\n\r\nGET /raw/usual HTTP/1.1\r\nHost: a\r\nX-API-Key: "
                + key
                + "\r\nConnection: close\r\n\r\n");

    String text = reply.text();
    assertThat(text).startsWith("HTTP/1.1 200 OK\r\n");
    int headEnd = text.indexOf("\r\n\r\n");
    assertThat(text.substring(headEnd + 4)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("ok");
    assertThat(reply.closed()).isTrue();
  }
}
