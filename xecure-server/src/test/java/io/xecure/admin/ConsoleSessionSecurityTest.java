package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.admin.AdminFixture.Response;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's session as an attacker sees it, through the real admin listener: every change a
 * cookie session makes needs its own CSRF token (on every route the router serves), and a session
 * planted before sign-in is never the one signed in.
 */
class ConsoleSessionSecurityTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String COOKIE = "xecure_session=";

  AdminFixture admin;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    admin = new AdminFixture(JdbcStore.open(TestDatabases.h2Url(dir), null, null));
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
  }

  @Test
  void everyChangeThroughACookieSessionNeedsThatSessionsCsrfToken() throws Exception {
    operator("olga@example.com", "owner");
    operator("mallory@example.com", "owner");
    JsonObject olga = signIn("olga@example.com", null).json();
    JsonObject mallory = signIn("mallory@example.com", null).json();
    String cookie = COOKIE + olga.getString("token");
    @Nullable String[] wrong = {null, "", "0".repeat(64), mallory.getString("csrf_token")};

    Set<String> unprotected = new TreeSet<>();
    int changes = 0;
    for (Endpoint e : admin.api.endpoints()) {
      if (e.method().equals("GET") || !e.path().startsWith("/admin/")) {
        continue;
      }
      if (e.method().equals("POST") && e.path().equals("/admin/session")) {
        continue; // sign-in: no session yet, nothing to forge
      }
      changes++;
      String path = e.path().replaceAll("\\{[a-z_]+}", "nope");
      for (String csrf : wrong) {
        Response r = withCookie(cookie, csrf, e.method(), path);
        if (r.status() != 403 || !r.json().getString("detail").contains("CSRF")) {
          unprotected.add(e.method() + " " + e.path() + " with csrf " + csrf + ": " + r.status());
        }
      }
    }
    assertThat(changes).isGreaterThanOrEqualTo(19); // every POST, PUT, PATCH and DELETE of SPEC §6
    assertThat(unprotected).isEmpty();
    // the right token passes the check (and the call reaches its route: 404 for the bogus id)
    assertThat(
            withCookie(cookie, olga.getString("csrf_token"), "POST", "/admin/keys/nope/revoke")
                .status())
        .isEqualTo(404);
    // a bearer token is not sent by a browser on its own: it needs no CSRF token
    assertThat(
            admin
                .send(
                    admin
                        .request("/admin/keys/nope/revoke")
                        .header("authorization", "Bearer " + olga.getString("token"))
                        .POST(HttpRequest.BodyPublishers.noBody()))
                .status())
        .isEqualTo(404);
  }

  @Test
  void aSessionPlantedBeforeSignInIsNeverTheOneSignedIn() throws Exception {
    operator("victor@example.com", "owner");
    operator("mallory@example.com", "auditor");
    // the attacker's own session, and a value the attacker made up, planted in the victim's browser
    String planted = signIn("mallory@example.com", null).json().getString("token");
    for (String fixed : new String[] {planted, "made-up-session-id-0123456789abcdef"}) {
      Response in = signIn("victor@example.com", COOKIE + fixed);
      assertThat(in.status()).isEqualTo(201);
      String issued = in.json().getString("token");
      assertThat(issued).isNotEqualTo(fixed);
      assertThat(in.header("set-cookie")).startsWith(COOKIE + issued + ";");
      assertThat(in.json().getString("session_id")).isNotEqualTo(fixed);
    }
    // the planted session did not become the victim's: it is still the attacker's auditor
    JsonObject still = withCookie(COOKIE + planted, null, "GET", "/admin/session").json();
    assertThat(still.getString("role")).isEqualTo("auditor");
    assertThat(
            withCookie(
                    COOKIE + "made-up-session-id-0123456789abcdef", null, "GET", "/admin/session")
                .status())
        .isEqualTo(401);
  }

  // --- helpers

  void operator(String email, String role) throws Exception {
    Response r =
        admin.post(
            "/admin/operators",
            new JsonObject()
                .put("email", email)
                .put("name", email.substring(0, email.indexOf('@')))
                .put("role", role)
                .put("password", PASSWORD)
                .encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  Response signIn(String email, @Nullable String cookie) throws Exception {
    HttpRequest.Builder r =
        admin
            .request("/admin/session")
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject().put("email", email).put("password", PASSWORD).encode()));
    if (cookie != null) {
      r.header("cookie", cookie);
    }
    Response in = admin.send(r);
    assertThat(in.status()).as(in.body()).isEqualTo(201);
    return in;
  }

  Response withCookie(String cookie, @Nullable String csrf, String method, String path)
      throws Exception {
    HttpRequest.Builder r = admin.request(path).header("cookie", cookie);
    if (csrf != null) {
      r.header("x-csrf-token", csrf);
    }
    return admin.send(r.method(method, HttpRequest.BodyPublishers.noBody()));
  }
}
