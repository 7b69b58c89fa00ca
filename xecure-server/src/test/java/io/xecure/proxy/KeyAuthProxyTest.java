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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** key-auth through a real gateway in front of a real upstream: what gets through, and what not. */
class KeyAuthProxyTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static Developer dev;
  static String key;
  static String keyId;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    String u = upstream.url();
    KeyAuthConfig body =
        new KeyAuthConfig(locations("header:X-API-Key", "body:api_key"), true, false, 1024);
    KeyAuthConfig visible = new KeyAuthConfig(locations("header:X-API-Key"), false, false, 1024);
    KeyAuthConfig anonymous = new KeyAuthConfig(locations("header:X-API-Key"), true, true, 1024);
    gw =
        new GatewayHarness(
            dir,
            List.of(
                api("users", "/users", u),
                api("forms", "/forms", u, body),
                api("visible", "/visible", u, visible),
                api("open", "/open", u, anonymous)));
    dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] issued = gw.issue(dev, List.of("*"), KeyStatus.ACTIVE);
    key = issued[0];
    keyId = issued[1];
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

  @Test
  void validHeaderKeyReachesUpstreamWithIdentityAndWithoutTheKey() throws Exception {
    HttpResponse<String> r = gw.get("/users/1?x=1", "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"ok\":true}");
    assertThat(r.headers().firstValue("x-upstream")).hasValue("echo");
    EchoUpstream.Received got = upstream.last();
    assertThat(got.uri()).isEqualTo("/users/1?x=1");
    assertThat(got.header("x-api-key")).isNull();
    assertThat(got.header("x-developer-id")).isEqualTo(dev.id());
    assertThat(got.header("x-developer-name")).isEqualTo("Ada");
    assertThat(got.header("x-api-key-id")).isEqualTo(keyId);
    assertThat(got.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(got.header("x-forwarded-proto")).isEqualTo("http");
    assertThat(got.header("x-forwarded-host")).isEqualTo("127.0.0.1:" + gw.port());
    assertThat(got.header("host")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(got.header("x-request-id"))
        .isNotBlank()
        .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
  }

  @Test
  void missingKeyIs401ProblemAndNothingReachesUpstream() throws Exception {
    HttpResponse<String> r = gw.get("/users");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.headers().firstValue("www-authenticate")).hasValue("ApiKey realm=\"xecure\"");
    JsonObject p = new JsonObject(r.body());
    assertThat(p.getString("code")).isEqualTo("key_missing");
    assertThat(p.getInteger("status")).isEqualTo(401);
    assertThat(p.getString("type")).isNotBlank();
    assertThat(p.getString("title")).isNotBlank();
    assertThat(p.getString("detail")).isNotBlank();
    assertThat(p.getString("request_id"))
        .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void unknownMalformedAndRevokedKeysGetTheSameAnswer() throws Exception {
    String unknown = gw.gateway().keyFormat().generate();
    String malformed = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
    String revoked = gw.issue(dev, List.of("*"), KeyStatus.REVOKED)[0];

    for (String k : List.of(unknown, malformed, revoked, "short", "x".repeat(300))) {
      HttpResponse<String> r = gw.get("/users", "X-API-Key", k);
      assertThat(r.statusCode()).as(k.length() + " chars").isEqualTo(401);
      JsonObject p = new JsonObject(r.body());
      assertThat(p.getString("code")).isEqualTo("key_invalid");
      assertThat(p.getString("detail")).isEqualTo("The API key is not valid.");
      assertThat(r.body()).doesNotContain(k);
    }
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void suspendedDeveloperIs403() throws Exception {
    Developer suspended = gw.developer("Mallory", DeveloperStatus.SUSPENDED);
    String k = gw.issue(suspended, List.of("*"), KeyStatus.ACTIVE)[0];

    HttpResponse<String> r = gw.get("/users", "X-API-Key", k);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("developer_suspended");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void bearerKeyIsAcceptedAndRemoved() throws Exception {
    HttpResponse<String> r = gw.get("/users", "Authorization", "bEaReR " + key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().header("authorization")).isNull();
    assertThat(upstream.last().header("x-api-key-id")).isEqualTo(keyId);
  }

  @Test
  void queryKeyIsAcceptedAndRemovedKeepingTheOtherParameters() throws Exception {
    HttpResponse<String> r = gw.get("/users?a=1&api_key=" + key + "&b=%20two");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/users?a=1&b=%20two");
  }

  @Test
  void twoDifferentKeysAreAmbiguous() throws Exception {
    String other = gw.issue(dev, List.of("*"), KeyStatus.ACTIVE)[0];

    HttpResponse<String> r = gw.get("/users?api_key=" + other, "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("key_ambiguous");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void theSameKeyTwiceIsNotAmbiguousAndIsRemovedEverywhere() throws Exception {
    HttpResponse<String> r = gw.get("/users?api_key=" + key, "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/users");
    assertThat(upstream.last().header("x-api-key")).isNull();
  }

  @Test
  void jsonBodyKeyIsRemovedAndContentLengthFixed() throws Exception {
    String body = "{\"api_key\":\"" + key + "\",\"name\":\"x\"}";
    HttpResponse<String> r =
        gw.send(
            gw.request("/forms/submit")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());

    assertThat(r.statusCode()).isEqualTo(200);
    EchoUpstream.Received got = upstream.last();
    assertThat(new JsonObject(got.body())).isEqualTo(new JsonObject().put("name", "x"));
    assertThat(got.header("content-length")).isEqualTo(String.valueOf(got.body().length()));
    assertThat(got.body().toString()).doesNotContain(key);
  }

  @Test
  void formBodyKeyIsRemoved() throws Exception {
    HttpResponse<String> r =
        gw.send(
            gw.request("/forms/submit")
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=1&api_key=" + key + "&b=2"))
                .build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().body().toString()).isEqualTo("a=1&b=2");
  }

  @Test
  void multipartBodyKeyIsRemoved() throws Exception {
    String body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n"
            + key
            + "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--XyZ--\r\n";
    HttpResponse<String> r =
        gw.send(
            gw.request("/forms/upload")
                .header("content-type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());

    assertThat(r.statusCode()).isEqualTo(200);
    String got = upstream.last().body().toString();
    assertThat(got).doesNotContain(key).contains("name=\"note\"").contains("hello");
  }

  @Test
  void bodyOverMaxBodyIs413() throws Exception {
    HttpResponse<String> r =
        gw.send(
            gw.request("/forms/submit")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pad\":\"" + "x".repeat(2000) + "\"}"))
                .build());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("body_too_large");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void hideCredentialsFalseLetsTheKeyThrough() throws Exception {
    HttpResponse<String> r = gw.get("/visible", "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().header("x-api-key")).isEqualTo(key);
  }

  @Test
  void clientSentIdentityAndRoutingHeadersAreRemoved() throws Exception {
    HttpResponse<String> r =
        gw.get(
            "/users",
            "X-API-Key",
            key,
            "X-Developer-Id",
            "dev_evil",
            "x_developer_name",
            "Evil",
            "X-API-KEY-ID",
            "key_evil",
            "X-Original-URL",
            "/admin",
            "X-Rewrite-URL",
            "/admin",
            "X-HTTP-Method-Override",
            "DELETE",
            "X-Forwarded-For",
            "10.9.9.9",
            "X-Request-Id",
            "forged");

    assertThat(r.statusCode()).isEqualTo(200);
    EchoUpstream.Received got = upstream.last();
    assertThat(got.headers().getAll("x-developer-id")).containsExactly(dev.id());
    assertThat(got.headers().getAll("x-developer-name")).containsExactly("Ada");
    assertThat(got.headers().getAll("x-api-key-id")).containsExactly(keyId);
    assertThat(got.headers().names())
        .noneMatch(n -> n.equalsIgnoreCase("x_developer_name"))
        .noneMatch(n -> n.equalsIgnoreCase("x-original-url"))
        .noneMatch(n -> n.equalsIgnoreCase("x-rewrite-url"))
        .noneMatch(n -> n.equalsIgnoreCase("x-http-method-override"));
    assertThat(got.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(got.header("x-request-id")).isNotEqualTo("forged");
  }

  @Test
  void aDevelopersNameWithLineBreaksReachesTheUpstreamAsOneSafeHeader() throws Exception {
    // the outbound map does not validate: the identity header must be made safe before it
    Developer hostile = gw.developer("Eve\r\nX-Injected: yes\nÉve\u2028", DeveloperStatus.ACTIVE);
    String hostileKey = gw.issue(hostile, List.of("*"), KeyStatus.ACTIVE)[0];

    HttpResponse<String> r = gw.get("/users", "X-API-Key", hostileKey);

    assertThat(r.statusCode()).isEqualTo(200);
    EchoUpstream.Received got = upstream.last();
    assertThat(got.headers().getAll("x-developer-name"))
        .containsExactly("Eve??X-Injected: yes??ve?");
    assertThat(got.header("x-injected")).isNull();
    assertThat(got.header("x-developer-id")).isEqualTo(hostile.id());
  }

  @Test
  void anonymousApiLetsKeylessRequestsThroughButNotInvalidKeys() throws Exception {
    HttpResponse<String> open = gw.get("/open");
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(upstream.last().header("x-anonymous")).isEqualTo("true");
    assertThat(upstream.last().header("x-developer-id")).isNull();

    HttpResponse<String> bad = gw.get("/open", "X-API-Key", "xk_definitely-not-a-valid-key");
    assertThat(bad.statusCode()).isEqualTo(401);

    HttpResponse<String> known = gw.get("/open", "X-API-Key", key);
    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(upstream.last().header("x-api-key-id")).isEqualTo(keyId);
  }

  @Test
  void importedKeyOfAnotherFormatWorks() throws Exception {
    String legacy = "bk_3f9c0e8a7d6b5c4e3f2a1b0c9d8e7f6a";
    gw.store(dev, legacy, List.of("*"), KeyStatus.ACTIVE);

    assertThat(gw.get("/users", "X-API-Key", legacy).statusCode()).isEqualTo(200);
  }
}
