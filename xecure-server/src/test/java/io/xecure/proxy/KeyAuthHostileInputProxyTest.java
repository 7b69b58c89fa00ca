package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static io.xecure.testing.GatewayHarness.locations;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.RawHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * key-auth against a hostile client (issue 7 items 2-8): bodies shaped to make a parser quadratic
 * or throw, keys with something around them, fields named twice, header names spelled with '_', big
 * uploads next to a header key, and the {@code _method} override.
 */
class KeyAuthHostileInputProxyTest {
  /** Only a guard against a hang: a request the gateway never answers fails, it is not timed. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);

  private static final int MIB = 1024 * 1024;

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;
  static String other;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    String u = upstream.url();
    KeyAuthConfig small =
        new KeyAuthConfig(locations("header:X-API-Key", "body:api_key"), true, false, 1024);
    KeyAuthConfig everywhere =
        new KeyAuthConfig(
            locations("header:X-API-Key", "bearer", "query:api_key", "body:api_key"),
            true,
            false,
            2L * MIB);
    gw =
        new GatewayHarness(
            dir,
            List.of(
                api("users", "/users", u),
                api("forms", "/forms", u, small),
                api("bodies", "/bodies", u, everywhere)));
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    key = gw.issue(dev, List.of("*"), KeyStatus.ACTIVE)[0];
    other = gw.issue(dev, List.of("*"), KeyStatus.ACTIVE)[0];
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

  private static HttpResponse<String> post(String path, String contentType, String body)
      throws Exception {
    return gw.send(
        gw.request(path)
            .timeout(HANG_GUARD)
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static String code(HttpResponse<String> r) {
    return new JsonObject(r.body()).getString("code");
  }

  private static String raw(String target, String... headerLines) throws Exception {
    StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String h : headerLines) {
      request.append(h).append("\r\n");
    }
    return RawHttp.exchange(gw.port(), request.append("Connection: close\r\n\r\n").toString());
  }

  // item 2: every parser on the request path is linear; these bodies held an event loop for seconds

  @Test
  void aMebibyteFormOfEmptyPairsIsAnswered() throws Exception {
    HttpResponse<String> r =
        post("/bodies/x", "application/x-www-form-urlencoded", "a&".repeat(MIB / 2));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("key_missing");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void aMebibyteMultipartWhosePartsLackTheBlankLineIsAnswered() throws Exception {
    String unit = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n";
    String body = unit.repeat(MIB / unit.length()) + "--XyZ--\r\n";

    HttpResponse<String> r = post("/bodies/x", "multipart/form-data; boundary=XyZ", body);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("key_missing");
    assertThat(upstream.received()).isEmpty();
  }

  // item 3: a part with no headers threw in the body callback and the request was never answered

  @Test
  void aMultipartPartWithNoHeadersIsAnsweredAndAKeyBesideItIsFound() throws Exception {
    String noHeaders = "--XyZ\r\n\r\nno headers here\r\n--XyZ--\r\n";
    HttpResponse<String> r = post("/bodies/x", "multipart/form-data; boundary=XyZ", noHeaders);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("key_missing");

    String withKey =
        "--XyZ\r\n\r\nno headers here\r\n--XyZ\r\nContent-Disposition: form-data; name=api_key"
            + "\r\n\r\n"
            + key
            + "\r\n--XyZ--\r\n";
    HttpResponse<String> ok = post("/bodies/x", "multipart/form-data; boundary=XyZ", withKey);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(upstream.last().body().toString()).doesNotContain(key).contains("no headers here");
  }

  // item 4: a value is the key only when it is exactly the key

  @ParameterizedTest
  @ValueSource(strings = {"%20K", "K%09", "K+", "%00K", "K%00", "K%0A"})
  void aQueryKeyWithAnythingAroundItIsInvalid(String shape) throws Exception {
    HttpResponse<String> r = gw.get("/users/x?api_key=" + shape.replace("K", key));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("key_invalid");
    assertThat(upstream.received()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\" K\"", "\"K\\n\"", "\"K\\u0000\"", "\"\\tK\""})
  void aJsonKeyWithAnythingAroundItIsInvalid(String value) throws Exception {
    HttpResponse<String> r =
        post("/bodies/x", "application/json", "{\"api_key\":" + value.replace("K", key) + "}");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("key_invalid");
    assertThat(upstream.received()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"K+", "%20K", "K%0D%0A", "%00K"})
  void aFormKeyWithAnythingAroundItIsInvalid(String shape) throws Exception {
    HttpResponse<String> r =
        post(
            "/bodies/x", "application/x-www-form-urlencoded", "api_key=" + shape.replace("K", key));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("key_invalid");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void aHeaderKeyMayHaveOptionalWhitespaceAroundItButNothingElse() throws Exception {
    assertThat(raw("/users/x", "X-API-Key: \t " + key + " \t")).startsWith("HTTP/1.1 200");
    assertThat(raw("/users/x", "Authorization: Bearer   " + key + " ")).startsWith("HTTP/1.1 200");

    // control characters: refused by the strict decoder (400) or as a malformed key (401)
    for (String line : List.of("X-API-Key: " + key + "\u000b", "X-API-Key: \u0000" + key)) {
      String answer = raw("/users/x", line);
      assertThat(answer).as(line.replace(key, "KEY")).matches("(?s)HTTP/1.1 40[01] .*");
      assertThat(answer).doesNotContain(key);
    }
    for (String line :
        List.of(
            "X-API-Key: " + key + ", " + key,
            "Authorization: Bearer\t" + key,
            "Authorization: Bearer Bearer " + key)) {
      String answer = raw("/users/x", line);
      assertThat(answer).as(line.replace(key, "KEY")).startsWith("HTTP/1.1 401");
      assertThat(answer).contains("key_invalid").doesNotContain(key);
    }
    assertThat(upstream.received()).hasSize(2);
  }

  // item 5: a body naming the key field twice, and two Content-Types on a body that is read

  @Test
  void aJsonBodyNamingTheKeyFieldTwiceIsAmbiguousEvenWithTheSameKey() throws Exception {
    for (String second : List.of(key, other)) {
      HttpResponse<String> r =
          post(
              "/bodies/x",
              "application/json",
              "{\"api_key\":\"" + key + "\",\"api_key\":\"" + second + "\"}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(code(r)).isEqualTo("key_ambiguous");
    }
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void aFormOrMultipartNamingTheKeyFieldTwiceIsAmbiguous() throws Exception {
    HttpResponse<String> form =
        post(
            "/bodies/x",
            "application/x-www-form-urlencoded",
            "api_key=" + key + "&api%5Fkey=" + key);
    assertThat(form.statusCode()).isEqualTo(400);
    assertThat(code(form)).isEqualTo("key_ambiguous");

    String part = "--XyZ\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n";
    HttpResponse<String> multipart =
        post(
            "/bodies/x",
            "multipart/form-data; boundary=XyZ",
            part + key + "\r\n" + part + other + "\r\n--XyZ--\r\n");
    assertThat(multipart.statusCode()).isEqualTo(400);
    assertThat(code(multipart)).isEqualTo("key_ambiguous");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void twoContentTypesOnABodyThatIsSearchedAre400() throws Exception {
    String body = "api_key=" + key;
    String answer =
        RawHttp.exchange(
            gw.port(),
            "POST /bodies/x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\nConnection: close\r\n\r\n"
                + body);

    assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain(key);

    HttpResponse<String> joined =
        post("/bodies/x", "application/x-www-form-urlencoded, application/json", body);
    assertThat(joined.statusCode()).isEqualTo(400);
    assertThat(upstream.received()).isEmpty();
  }

  // item 6: the key header spelled with '_' is the key header

  @Test
  void theKeyHeaderWithUnderscoresIsFoundAndRemoved() throws Exception {
    HttpResponse<String> r = gw.get("/users/x", "X_API_Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().headers().names())
        .noneMatch(n -> n.replace('_', '-').equalsIgnoreCase("x-api-key"));
  }

  @Test
  void theKeyHeaderWithUnderscoresNextToTheKeyHeaderWithAnotherKeyIsAmbiguous() throws Exception {
    HttpResponse<String> r = gw.get("/users/x", "X-API-Key", key, "x_api_key", other);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(code(r)).isEqualTo("key_ambiguous");
    assertThat(upstream.received()).isEmpty();
  }

  // item 7: a key found outside the body lets the body stream on unread, whatever its size

  @Test
  void aBigUploadWithTheKeyInAHeaderStreamsOnUnread() throws Exception {
    String body = "x".repeat(MIB);
    HttpResponse<String> r =
        gw.send(
            gw.request("/forms/upload")
                .timeout(HANG_GUARD)
                .header("X-API-Key", key)
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().body().length()).isEqualTo(MIB);
    assertThat(upstream.last().header("x-api-key")).isNull();
  }

  @Test
  void aSmallBodyBesideAHeaderKeyIsStillSearched() throws Exception {
    String different = "{\"api_key\":\"" + other + "\",\"a\":1}";
    HttpResponse<String> ambiguous =
        gw.send(
            gw.request("/forms/submit")
                .header("X-API-Key", key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(different))
                .build());
    assertThat(ambiguous.statusCode()).isEqualTo(400);
    assertThat(code(ambiguous)).isEqualTo("key_ambiguous");

    String same = "{\"api_key\":\"" + key + "\",\"a\":1}";
    HttpResponse<String> r =
        gw.send(
            gw.request("/forms/submit")
                .header("X-API-Key", key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(same))
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().body().toString()).doesNotContain(key);
  }

  @Test
  void aBodyKeyStillNeedsTheBodyWithinMaxBody() throws Exception {
    HttpResponse<String> r =
        post("/forms/submit", "application/x-www-form-urlencoded", "pad=" + "x".repeat(2000));

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(code(r)).isEqualTo("body_too_large");
  }

  // item 8: _method is handled as the method-override headers are: not forwarded

  @Test
  void methodOverrideParameterIsRemovedFromTheQueryAndFromAReadFormBody() throws Exception {
    HttpResponse<String> q = gw.get("/users/x?a=1&_method=DELETE&%5Fmethod=PUT", "X-API-Key", key);
    assertThat(q.statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/users/x?a=1");
    assertThat(upstream.last().method()).isEqualTo("GET");

    HttpResponse<String> f =
        post(
            "/bodies/x",
            "application/x-www-form-urlencoded",
            "_method=DELETE&api_key=" + key + "&b=2");
    assertThat(f.statusCode()).isEqualTo(200);
    assertThat(upstream.last().body().toString()).isEqualTo("b=2");
    assertThat(upstream.last().method()).isEqualTo("POST");
  }
}
