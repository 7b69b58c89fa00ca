package io.xecure.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.portal.PortalFixture.Browser;
import io.xecure.portal.PortalFixture.Reply;
import io.xecure.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal's defences, attacked through its real listener: another developer's keys and usage
 * whatever the id, CSRF, session fixation, cookie flags, sign-in throttling, markup in names,
 * suspended developers and session timeouts.
 */
class PortalSecurityTest {
  @TempDir Path dir;
  private PortalFixture portal;

  @BeforeEach
  void start() throws Exception {
    portal = new PortalFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    portal.close();
  }

  @Test
  void aDeveloperCannotReachAnotherDevelopersKeysOrUsageWhateverTheId() throws Exception {
    Browser a = portal.signedIn("A", "a@example.com");
    Browser b = portal.signedIn("B", "b@example.com");
    Reply created = a.createKey("a-key");
    String aKey = created.json().getString("key");
    String aKeyId = created.json().getString("id");
    assertThat(portal.callGateway("/users", aKey)).isEqualTo(200);
    portal.gateway.usageFlusher().flush();

    Reply unknown = b.get("/portal/api/keys/key_doesnotexist");
    assertThat(unknown.status()).isEqualTo(404);
    for (String path :
        List.of(
            "/portal/api/keys/" + aKeyId,
            "/portal/api/usage?key=" + aKeyId,
            "/portal/api/keys/" + aKeyId + "/../" + aKeyId)) {
      Reply r = b.get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.body()).doesNotContain("a-key").doesNotContain(a.developerId);
    }
    // the same answer as for a key that does not exist, but for the id echoed
    assertThat(b.get("/portal/api/keys/" + aKeyId).json().getString("detail"))
        .isEqualTo("key " + aKeyId + " not found");
    assertThat(unknown.json().getString("detail")).isEqualTo("key key_doesnotexist not found");
    assertThat(b.post("/portal/api/keys/" + aKeyId + "/rotate", null).status()).isEqualTo(404);
    assertThat(b.post("/portal/api/keys/" + aKeyId + "/revoke", null).status()).isEqualTo(404);
    // a developer id in the body or query changes nothing: the session decides
    Reply sneaky =
        b.post(
            "/portal/api/keys",
            new JsonObject().put("name", "x").put("developer_id", a.developerId).encode());
    assertThat(sneaky.status()).isEqualTo(422);
    assertThat(b.get("/portal/api/keys?developer=" + a.developerId).json().getJsonArray("items"))
        .isEmpty();
    assertThat(b.get("/portal/api/usage?developer=" + a.developerId).json().getJsonArray("series"))
        .isEmpty();
    assertThat(b.get("/portal/api/quota").json().getJsonArray("items")).isEmpty();

    assertThat(portal.callGateway("/users", aKey)).as("A's key untouched").isEqualTo(200);
    // usage reaches the store with the next flush of the open minute (every 2 s)
    Eventually.await(
        "A's usage",
        () -> a.get("/portal/api/usage").json().getJsonArray("series").size(),
        n -> n == 1);
  }

  @Test
  void changesWithoutTheSessionsCsrfTokenAreRefused() throws Exception {
    Browser a = portal.signedIn("A", "a@example.com");
    String body = new JsonObject().put("name", "k").encode();

    Reply missing = a.send("POST", "/portal/api/keys", body, null);
    assertThat(missing.status()).isEqualTo(403);
    assertThat(missing.header("content-type")).isEqualTo("application/problem+json");
    assertThat(a.send("POST", "/portal/api/keys", body, "0".repeat(64)).status()).isEqualTo(403);
    assertThat(a.send("DELETE", "/portal/api/session", null, null).status()).isEqualTo(403);
    assertThat(a.get("/portal/api/keys").json().getJsonArray("items")).isEmpty();

    assertThat(a.send("POST", "/portal/api/keys", body, a.csrf).status()).isEqualTo(201);
    // the token is also served to a page that reloads, and only to the session's holder
    assertThat(a.get("/portal/api/session").json().getString("csrf_token")).isEqualTo(a.csrf);
  }

  @Test
  void signInAlwaysOpensANewSessionWithStrictCookieFlags() throws Exception {
    String id = portal.developer("A", "a@example.com");
    Browser a = portal.new Browser(id);
    a.accept(PortalFixture.token(portal.invite(id)), PortalFixture.PASSWORD);
    String planted = "xps_" + "P".repeat(40);
    HttpClient raw = HttpClient.newHttpClient();
    HttpResponse<String> in =
        raw.send(
            HttpRequest.newBuilder(URI.create(portal.portal("/portal/api/session")))
                .header("cookie", PortalApi.COOKIE + "=" + planted)
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject()
                            .put("email", "a@example.com")
                            .put("password", PortalFixture.PASSWORD)
                            .encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(in.statusCode()).isEqualTo(201);
    String setCookie = in.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(PortalApi.COOKIE + "=xps_")
        .doesNotContain(planted)
        .containsIgnoringCase("; HttpOnly")
        .contains("SameSite=Strict", "Path=/")
        .doesNotContain("Secure"); // plain HTTP here; Secure is set under TLS
    HttpResponse<String> withPlanted =
        raw.send(
            HttpRequest.newBuilder(URI.create(portal.portal("/portal/api/keys")))
                .header("cookie", PortalApi.COOKIE + "=" + planted)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(withPlanted.statusCode()).isEqualTo(401);

    a.signIn("a@example.com", PortalFixture.PASSWORD);
    String first = a.sessionCookie();
    a.signIn("a@example.com", PortalFixture.PASSWORD);
    assertThat(a.sessionCookie()).isNotNull().isNotEqualTo(first);
    assertThat(a.get("/portal/api/keys").status()).isEqualTo(200);

    assertThat(a.send("DELETE", "/portal/api/session", null, a.csrf).status()).isEqualTo(200);
    assertThat(a.get("/portal/api/keys").status()).isEqualTo(401);
  }

  @Test
  void signInIsThrottledPerAccount() throws Exception {
    Browser a = portal.signedIn("A", "a@example.com");
    for (int i = 0; i < 5; i++) {
      assertThat(a.signIn("a@example.com", "wrong password " + i).status()).isEqualTo(401);
    }
    Reply blocked = a.signIn("A@example.com", PortalFixture.PASSWORD);
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.json().getString("code")).isEqualTo("too_many_failures");

    portal.clock.advance(Duration.ofMinutes(16));
    assertThat(a.signIn("a@example.com", PortalFixture.PASSWORD).status()).isEqualTo(201);
  }

  @Test
  void signInIsThrottledPerClientAddressAcrossAccounts() throws Exception {
    Browser a = portal.signedIn("A", "a@example.com");
    for (int i = 0; i < 20; i++) {
      // four failures per account: no account is blocked, the address is
      assertThat(a.signIn("nobody" + (i / 4) + "@example.com", "wrong password").status())
          .isEqualTo(401);
    }
    assertThat(a.signIn("a@example.com", PortalFixture.PASSWORD).status()).isEqualTo(429);
  }

  @Test
  void markupInANameIsServedAsDataNeverAsMarkup() throws Exception {
    String xss = "<img src=x onerror=alert(1)>";
    Browser a = portal.signedIn(xss, "x@example.com");
    a.createKey("<script>alert(2)</script>");

    Reply me = a.get("/portal/api/session");
    assertThat(me.header("content-type")).isEqualTo("application/json");
    assertThat(me.header("x-content-type-options")).isEqualTo("nosniff");
    assertThat(me.json().getJsonObject("developer").getString("name")).isEqualTo(xss);
    Reply keys = a.get("/portal/api/keys");
    assertThat(keys.header("content-type")).isEqualTo("application/json");
    assertThat(keys.json().getJsonArray("items").getJsonObject(0).getString("name"))
        .isEqualTo("<script>alert(2)</script>");

    for (String page : List.of("/", "/signin", "/usage", "/apis", "/invite/xpi_x")) {
      Reply r = a.get(page);
      assertThat(r.status()).as(page).isEqualTo(200);
      assertThat(r.header("content-security-policy"))
          .as(page)
          .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval");
      assertThat(r.body()).doesNotContain(xss).doesNotContain("<script>a");
      assertThat(r.body())
          .as("inline script or handlers")
          .doesNotContainPattern("<script>|\\son[a-z]+=");
    }
    String js = a.get("/assets/portal.js").body();
    assertThat(js).contains("textContent").doesNotContain("innerHTML").doesNotContain("outerHTML");
    assertThat(js).doesNotContain("localStorage.set").doesNotContain("sessionStorage.set");
  }

  @Test
  void aSuspendedOrDeletedDevelopersSessionStopsWorking() throws Exception {
    Browser a = portal.signedIn("A", "a@example.com");
    Browser b = portal.signedIn("B", "b@example.com");
    assertThat(a.get("/portal/api/keys").status()).isEqualTo(200);

    portal.admin("PATCH", "/admin/developers/" + a.developerId, "{\"status\":\"suspended\"}");
    assertThat(a.get("/portal/api/keys").status()).isEqualTo(401);
    assertThat(a.signIn("a@example.com", PortalFixture.PASSWORD).status()).isEqualTo(401);
    Reply invite =
        portal.admin("POST", "/admin/developers/" + a.developerId + "/invitations", null);
    assertThat(invite.status()).isEqualTo(409);

    portal.admin("DELETE", "/admin/developers/" + b.developerId, null);
    assertThat(b.get("/portal/api/keys").status()).isEqualTo(401);
    assertThat(b.signIn("b@example.com", PortalFixture.PASSWORD).status()).isEqualTo(401);
  }

  @Test
  void sessionsEndWhenIdleAndAfterTheirAbsoluteLifetime() throws Exception {
    Browser a = portal.signedIn("A", "a@example.com");
    portal.clock.advance(Duration.ofMinutes(29));
    assertThat(a.get("/portal/api/keys").status()).isEqualTo(200);
    portal.clock.advance(Duration.ofMinutes(30));
    assertThat(a.get("/portal/api/keys").status()).as("30 minutes unused").isEqualTo(401);

    a.signIn("a@example.com", PortalFixture.PASSWORD);
    for (int i = 0; i < 28; i++) { // busy for 11 h 40
      portal.clock.advance(Duration.ofMinutes(25));
      assertThat(a.get("/portal/api/keys").status()).isEqualTo(200);
    }
    portal.clock.advance(Duration.ofMinutes(20));
    assertThat(a.get("/portal/api/keys").status()).as("12 hours after sign-in").isEqualTo(401);
  }

  @Test
  void onlyOperatorsAndOwnersInvite() throws Exception {
    String id = portal.developer("A", "a@example.com");
    portal.admin(
        "POST",
        "/admin/operators",
        new JsonObject()
            .put("email", "audrey@example.com")
            .put("name", "Audrey")
            .put("role", "auditor")
            .put("password", "auditor password 1")
            .encode());
    HttpClient raw = HttpClient.newHttpClient();
    String admin = "http://127.0.0.1:" + portal.gateway.adminPort();
    HttpResponse<String> session =
        raw.send(
            HttpRequest.newBuilder(URI.create(admin + "/admin/session"))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"audrey@example.com\",\"password\":\"auditor password 1\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String token = new JsonObject(session.body()).getString("token");
    HttpResponse<String> invite =
        raw.send(
            HttpRequest.newBuilder(URI.create(admin + "/admin/developers/" + id + "/invitations"))
                .header("authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(invite.statusCode()).isEqualTo(403);
    HttpResponse<String> allowance =
        raw.send(
            HttpRequest.newBuilder(URI.create(admin + "/admin/developers/" + id + "/allowance"))
                .header("authorization", "Bearer " + token)
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"apis\":[],\"max_keys\":0}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(allowance.statusCode()).isEqualTo(403);
  }
}
