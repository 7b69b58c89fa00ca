package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import io.xecure.accounts.SignInThrottle;
import io.xecure.admin.AdminFixture.Response;
import io.xecure.operators.OperatorService;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Operators through the real admin listener: roles enforced on every route, the actor of every
 * change, personal tokens, sign-in with its session cookie and CSRF token, and its throttling.
 */
class OperatorAccessTest {
  static final String PASSWORD = "correct horse battery staple";

  AdminFixture admin;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    // the JDBC store on H2: operators, tokens and events as the gateway keeps them
    admin = new AdminFixture(JdbcStore.open(TestDatabases.h2Url(dir), null, null));
    logs.setContext(root.getLoggerContext());
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stop() throws Exception {
    root.detachAppender(logs);
    admin.close();
  }

  /** Every route the router serves but sign-in, each asked once per role with a bogus id. */
  @Test
  void rolesAreEnforcedOnEveryAdminRoute() throws Exception {
    String auditor = token(operator("audrey@example.com", "auditor"));
    String operator = token(operator("oscar@example.com", "operator"));
    // what the contract says only owners may change: operators and their tokens, APIs, plans
    Set<String> ownerOnly =
        Set.of(
            "POST /admin/operators",
            "PATCH /admin/operators/{id}",
            "DELETE /admin/operators/{id}",
            "POST /admin/operators/{id}/tokens",
            "POST /admin/operators/{id}/tokens/{token_id}/revoke",
            "PUT /admin/apis/{name}",
            "DELETE /admin/apis/{name}",
            "PUT /admin/plans/{name}");
    Set<String> auditorRefused = new TreeSet<>();
    Set<String> operatorRefused = new TreeSet<>();
    Set<String> nonGets = new TreeSet<>();
    int routes = 0;
    for (Endpoint e : admin.api.endpoints()) {
      if (!e.path().startsWith("/admin/") || e.path().equals("/admin/openapi.json")) {
        continue; // health, metrics and the document have their own rules
      }
      if (e.method().equals("POST") && e.path().equals("/admin/session")) {
        continue; // sign-in: needs no principal
      }
      routes++;
      String route = e.method() + " " + e.path();
      String path = e.path().replaceAll("\\{[a-z_]+}", "nope");
      if (!e.method().equals("GET")) {
        nonGets.add(route);
      }
      int asAuditor = call(auditor, e.method(), path).status();
      int asOperator = call(operator, e.method(), path).status();
      assertThat(asAuditor).as(route).isNotEqualTo(401);
      assertThat(asOperator).as(route).isNotEqualTo(401);
      if (asAuditor == 403) {
        auditorRefused.add(route);
      }
      if (asOperator == 403) {
        operatorRefused.add(route);
      }
    }
    assertThat(routes).isGreaterThan(30);
    Set<String> everyChangeButSignOut = new TreeSet<>(nonGets);
    everyChangeButSignOut.remove("DELETE /admin/session");
    assertThat(auditorRefused).isEqualTo(everyChangeButSignOut);
    assertThat(operatorRefused).isEqualTo(ownerOnly);
    Response refused = call(auditor, "POST", "/admin/developers");
    assertThat(refused.json().getString("code")).isEqualTo("forbidden");
    assertThat(refused.json().getString("detail")).contains("auditor", "operator");
  }

  @Test
  void everyChangeNamesTheOperatorOrTokenWhoMadeIt() throws Exception {
    String id = operator("oscar@example.com", "operator");
    JsonObject token = createToken(id, "laptop");
    String session = signIn("oscar@example.com", PASSWORD).json().getString("token");

    call(
        token.getString("token"),
        "POST",
        "/admin/developers",
        "{\"name\":\"T\",\"email\":\"t@x.io\"}");
    call(session, "POST", "/admin/developers", "{\"name\":\"S\",\"email\":\"s@x.io\"}");
    admin.post("/admin/developers", "{\"name\":\"B\",\"email\":\"b@x.io\"}");

    List<String> actors = new ArrayList<>();
    admin
        .get("/admin/events?type=admin&action=developer.created")
        .items()
        .forEach(e -> actors.add(((JsonObject) e).getString("actor")));
    assertThat(actors).containsExactly("admin", id, id + "/" + token.getString("id"));
    Response byOperator = admin.get("/admin/events?actor=" + id);
    assertThat(byOperator.items()).hasSize(2); // its sign-in and its developer
  }

  @Test
  void tokenIsShownOnceWorksAndIsRefusedOnceRevoked() throws Exception {
    String id = operator("oscar@example.com", "operator");
    JsonObject created = createToken(id, "ci");
    String plaintext = created.getString("token");
    assertThat(plaintext).startsWith("xot_").hasSize(44);
    assertThat(created.getString("status")).isEqualTo("active");

    assertThat(call(plaintext, "GET", "/admin/developers").status()).isEqualTo(200);
    Response listed = admin.get("/admin/operators/" + id + "/tokens");
    assertThat(listed.body()).doesNotContain(plaintext);
    assertThat(listed.items().getJsonObject(0).getString("last_used_at"))
        .isEqualTo("2030-01-01T00:00:00Z");

    Response revoked =
        admin.post(
            "/admin/operators/" + id + "/tokens/" + created.getString("id") + "/revoke", null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().getString("status")).isEqualTo("revoked");
    assertThat(call(plaintext, "GET", "/admin/developers").status()).isEqualTo(401);
    assertThat(call("xot_" + "A".repeat(40), "GET", "/admin/developers").status()).isEqualTo(401);
  }

  @Test
  void roleChangesAndDisablingTakeEffectOnTheNextCall() throws Exception {
    String id = operator("oscar@example.com", "operator");
    String token = token(id);
    String body = "{\"name\":\"D\",\"email\":\"d@x.io\"}";
    assertThat(call(token, "POST", "/admin/developers", body).status()).isEqualTo(201);

    admin.call("PATCH", "/admin/operators/" + id, "{\"role\":\"auditor\"}");
    assertThat(call(token, "POST", "/admin/developers", body).status()).isEqualTo(403);

    Response disabled = admin.call("PATCH", "/admin/operators/" + id, "{\"disabled\":true}");
    assertThat(disabled.json().getBoolean("disabled")).isTrue();
    assertThat(call(token, "GET", "/admin/developers").status()).isEqualTo(401);
    assertThat(signIn("oscar@example.com", PASSWORD).status()).isEqualTo(401);
  }

  @Test
  void signInOpensACookieSessionWhoseChangesNeedItsCsrfToken() throws Exception {
    String id = operator("oscar@example.com", "operator");
    Response in = signIn("Oscar@Example.com", PASSWORD);
    assertThat(in.status()).isEqualTo(201);
    String cookie = in.header("set-cookie");
    assertThat(cookie)
        .startsWith("xecure_session=" + in.json().getString("token") + ";")
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict", "Path=/");
    String csrf = in.json().getString("csrf_token");
    assertThat(in.json().getJsonObject("operator").getString("id")).isEqualTo(id);
    String session = "xecure_session=" + in.json().getString("token");
    String body = "{\"name\":\"C\",\"email\":\"c@x.io\"}";

    assertThat(
            withCookie(session, null, "GET", "/admin/session", null).json().getString("csrf_token"))
        .isEqualTo(csrf);
    Response noCsrf = withCookie(session, null, "POST", "/admin/developers", body);
    assertThat(noCsrf.status()).isEqualTo(403);
    assertThat(noCsrf.json().getString("detail")).contains("CSRF");
    assertThat(withCookie(session, "0".repeat(64), "POST", "/admin/developers", body).status())
        .isEqualTo(403);
    assertThat(withCookie(session, csrf, "POST", "/admin/developers", body).status())
        .isEqualTo(201);

    // a second sign-in is a new session: one planted before it is never the one signed in
    assertThat(signIn("oscar@example.com", PASSWORD).json().getString("token"))
        .isNotEqualTo(in.json().getString("token"));

    Response out = withCookie(session, csrf, "DELETE", "/admin/session", null);
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.header("set-cookie")).contains("Max-Age=0");
    assertThat(withCookie(session, null, "GET", "/admin/developers", null).status()).isEqualTo(401);
  }

  @Test
  void sessionsEndWhenIdleTooLong() throws Exception {
    operator("oscar@example.com", "operator");
    String session = signIn("oscar@example.com", PASSWORD).json().getString("token");
    admin.clock.advance(OperatorService.SESSION_IDLE.minusMinutes(1));
    assertThat(call(session, "GET", "/admin/developers").status()).isEqualTo(200);
    admin.clock.advance(OperatorService.SESSION_IDLE.minusMinutes(1));
    assertThat(call(session, "GET", "/admin/developers").status()).isEqualTo(200);
    admin.clock.advance(OperatorService.SESSION_IDLE);
    assertThat(call(session, "GET", "/admin/developers").status()).isEqualTo(401);
  }

  @Test
  void wrongPasswordsAreRefusedAlikeAndThrottledPerAccount() throws Exception {
    operator("oscar@example.com", "operator");
    Response wrong = signIn("oscar@example.com", "not the password at all");
    Response unknown = signIn("nobody@example.com", "not the password at all");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.json().getString("detail")).isEqualTo(unknown.json().getString("detail"));

    for (int i = 1; i < SignInThrottle.PER_ACCOUNT.threshold(); i++) {
      assertThat(signIn("oscar@example.com", "wrong password " + i).status()).isEqualTo(401);
    }
    Response blocked = signIn("oscar@example.com", PASSWORD);
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.json().getString("code")).isEqualTo("too_many_failures");

    admin.clock.advance(SignInThrottle.PER_ACCOUNT.block());
    assertThat(signIn("oscar@example.com", PASSWORD).status()).isEqualTo(201);
  }

  @Test
  void signInsAreThrottledPerClientAcrossAccounts() throws Exception {
    operator("oscar@example.com", "operator");
    int threshold = SignInThrottle.PER_CLIENT.threshold();
    for (int i = 0; i < threshold; i++) {
      // a different account each time: no account reaches its own limit
      assertThat(signIn("guess" + i + "@example.com", "wrong password!").status()).isEqualTo(401);
    }
    assertThat(signIn("oscar@example.com", PASSWORD).status()).isEqualTo(429);
  }

  @Test
  void passwordsAreNeverReturnedRecordedOrLogged() throws Exception {
    String id = operator("oscar@example.com", "operator");
    admin.call("PATCH", "/admin/operators/" + id, "{\"password\":\"another long password 2\"}");
    signIn("oscar@example.com", "a wrong password guess");
    signIn("oscar@example.com", "another long password 2");

    List<String> seen = new ArrayList<>();
    seen.add(admin.get("/admin/operators").body());
    seen.add(admin.get("/admin/operators/" + id).body());
    seen.add(admin.get("/admin/events?type=admin").body());
    logs.list.forEach(e -> seen.add(e.getFormattedMessage()));
    assertThat(String.join("\n", seen))
        .doesNotContain(PASSWORD, "another long password 2", "a wrong password guess", "$argon2id")
        .contains("operator.updated", "changed password", "session.refused", "session.created");
    Response shortPassword =
        admin.call("PATCH", "/admin/operators/" + id, "{\"password\":\"short\"}");
    assertThat(shortPassword.status()).isEqualTo(422);
    assertThat(shortPassword.body()).doesNotContain("\"short\"");
  }

  @Test
  void operatorsAreManagedByOwners() throws Exception {
    Response created =
        admin.post(
            "/admin/operators",
            "{\"email\":\"Olga@Example.com\",\"name\":\"Olga\",\"role\":\"owner\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(id).startsWith("op_");
    assertThat(created.json().getString("email")).isEqualTo("olga@example.com");
    assertThat(
            admin
                .post(
                    "/admin/operators",
                    "{\"email\":\"olga@example.com\",\"name\":\"Again\",\"role\":\"auditor\"}")
                .status())
        .isEqualTo(409);
    assertThat(
            admin
                .post(
                    "/admin/operators",
                    "{\"email\":\"x@example.com\",\"name\":\"X\",\"role\":\"boss\"}")
                .status())
        .isEqualTo(422);
    // an operator without a password cannot sign in, but its tokens work
    assertThat(signIn("olga@example.com", "anything at all!").status()).isEqualTo(401);
    String owner = createToken(id, "ops").getString("token");
    assertThat(
            call(
                    owner,
                    "POST",
                    "/admin/operators",
                    "{\"email\":\"p@x.io\",\"name\":\"P\",\"role\":\"auditor\"}")
                .status())
        .isEqualTo(201);
    assertThat(admin.get("/admin/operators").items()).hasSize(2);

    assertThat(admin.call("DELETE", "/admin/operators/" + id, null).status()).isEqualTo(200);
    assertThat(call(owner, "GET", "/admin/operators").status()).isEqualTo(401);
    assertThat(admin.get("/admin/operators/" + id).status()).isEqualTo(404);
  }

  // --- helpers

  /** Creates an operator with {@link #PASSWORD} and answers its id. */
  String operator(String email, String role) throws Exception {
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
    return r.json().getString("id");
  }

  JsonObject createToken(String operatorId, String name) throws Exception {
    Response r =
        admin.post("/admin/operators/" + operatorId + "/tokens", "{\"name\":\"" + name + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  String token(String operatorId) throws Exception {
    return createToken(operatorId, "test").getString("token");
  }

  Response signIn(String email, String password) throws Exception {
    return admin.send(
        admin
            .request("/admin/session")
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject().put("email", email).put("password", password).encode())));
  }

  Response call(String bearer, String method, String path) throws Exception {
    return call(bearer, method, path, null);
  }

  Response call(String bearer, String method, String path, @Nullable String json) throws Exception {
    HttpRequest.Builder r = admin.request(path).header("authorization", "Bearer " + bearer);
    return admin.send(body(r, method, json));
  }

  Response withCookie(
      String cookie, @Nullable String csrf, String method, String path, @Nullable String json)
      throws Exception {
    HttpRequest.Builder r = admin.request(path).header("cookie", cookie);
    if (csrf != null) {
      r.header("x-csrf-token", csrf);
    }
    return admin.send(body(r, method, json));
  }

  private static HttpRequest.Builder body(
      HttpRequest.Builder r, String method, @Nullable String json) {
    if (json == null) {
      return r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return r.header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json));
  }
}
