package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static io.xecure.testing.GatewayHarness.locations;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.config.ApiConfig;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.policy.access.AccessRule;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonicaliser and the access policy together, through a real gateway in front of a real
 * upstream: every row asserts the answer, and that the upstream received exactly the canonical path
 * the decision was made on, or nothing at all.
 */
class AccessRulesProxyTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static final Map<String, String> KEYS = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    String u = upstream.url();
    gw =
        new GatewayHarness(
            dir,
            List.of(
                withAccess(
                    api("users", "/users", u),
                    rule(List.of(), "/users/admin/**", "users:admin"),
                    rule(List.of(), "/users/@me/**", "users:admin"),
                    rule(List.of(), "/users/%3Aroot/**", "users:admin"),
                    rule(List.of("GET", "HEAD"), "/users/**", "users:read"),
                    rule(List.of("POST", "PUT", "PATCH", "DELETE"), "/users/**", "users:write")),
                withAccess(api("admin", "/admin", u), rule(List.of(), "/admin/**", "admin:root")),
                withAccess(
                    api("orders", "/orders", u),
                    rule(List.of("GET"), "/orders/*/items/**", "orders:read"),
                    rule(List.of("GET"), "/orders/*", "orders:read")),
                api("analytics", "/analytics", u),
                withAccess(
                    api(
                        "open",
                        "/open",
                        u,
                        new KeyAuthConfig(locations("header:X-API-Key"), true, true, 1024)),
                    rule(List.of("GET"), "/open/public/**"),
                    rule(List.of("GET"), "/open/private/**", "open:read"))));
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    key(dev, "reader", List.of("users", "open"), "users:read");
    key(dev, "star", List.of("users"), "users:*");
    key(dev, "omni", List.of("*"), "users:*", "orders:read");
    key(dev, "other", List.of("analytics"), "users:*");
    key(dev, "root", List.of("*"), "*");
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  /**
   * method | target as sent | key (- none) | extra header (- none) | status | on 200: what the
   * upstream must receive, else: problem code | problem detail (optional). Keys: reader [users,
   * open] users:read; star [users] users:*; omni [*] users:* orders:read; other [analytics]
   * users:*; root [*] *.
   */
  private static final String TABLE =
      """
      # the rules themselves; /users/admin/** (any method) comes first
      GET     | /users/1                        | reader | - | 200 | /users/1
      GET     | /users                          | reader | - | 200 | /users
      GET     | /users/                         | reader | - | 200 | /users/
      GET     | /users/1/                       | reader | - | 200 | /users/1/
      POST    | /users/1                        | reader | - | 403 | insufficient_scope | Missing scope 'users:write'.
      POST    | /users/1                        | star   | - | 200 | /users/1
      DELETE  | /users/1                        | star   | - | 200 | /users/1
      GET     | /users/admin/x                  | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      PUT     | /users/admin                    | star   | - | 200 | /users/admin
      OPTIONS | /users/1                        | reader | - | 403 | insufficient_scope | No access rule allows OPTIONS /users/1.
      GET     | /users/1                        | -      | - | 401 | key_missing
      # the canonical path is what is judged, and exactly what the upstream receives
      GET     | /users/x/%2e%2e/admin/panel     | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | /users/x/%2E%2E/admin/panel     | star   | - | 200 | /users/admin/panel
      GET     | /users/%2e%2e/admin             | reader | - | 403 | insufficient_scope | This key is not granted the API 'admin'.
      GET     | /users/%2e%2e/admin             | omni   | - | 403 | insufficient_scope | Missing scope 'admin:root'.
      GET     | /users/%2e%2e/admin             | root   | - | 200 | /admin
      GET     | /users/%2e%2e/%2e%2e/admin      | root   | - | 400 | path_invalid
      GET     | /users/./admin/x                | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | //users//1                      | reader | - | 200 | /users/1
      GET     | /users//admin//x                | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | /Users/1                        | root   | - | 404 | route_not_found
      GET     | /users/ADMIN/x                  | reader | - | 200 | /users/ADMIN/x
      GET     | /users/%7Eada                   | reader | - | 200 | /users/~ada
      GET     | /users/%61dmin/x                | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | /users/admin%2Fx                | root   | - | 400 | path_invalid
      GET     | /users/1;admin                  | root   | - | 400 | path_invalid
      GET     | /users/1?next=/users/admin/%2e%2e | reader | - | 200 | /users/1?next=/users/admin/%2e%2e
      # an escaped pchar is the char itself, to the rules (/users/@me/**, /users/%3Aroot/**) and upstream
      GET     | /users/@me                      | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | /users/%40me                    | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | /users/%40me/keys               | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | /users/%40me                    | star   | - | 200 | /users/@me
      GET     | /users/%2540me                  | reader | - | 200 | /users/%2540me
      GET     | /users/:root                    | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | /users/%3aroot                  | reader | - | 403 | insufficient_scope | Missing scope 'users:admin'.
      GET     | /users/%3aroot                  | star   | - | 200 | /users/:root
      GET     | /users/a%2Bb%3d%2c%21           | reader | - | 200 | /users/a+b=,!
      GET     | /users/%7b1%7D                  | reader | - | 200 | /users/%7B1%7D
      # the method is the request line's; override headers are neither judged nor forwarded
      POST    | /users/1 | reader | X-HTTP-Method-Override: GET    | 403 | insufficient_scope | Missing scope 'users:write'.
      POST    | /users/1 | reader | X-Method-Override: GET         | 403 | insufficient_scope | Missing scope 'users:write'.
      DELETE  | /users/1 | reader | X-HTTP-Method: GET             | 403 | insufficient_scope | Missing scope 'users:write'.
      GET     | /users/1 | reader | X-HTTP-Method-Override: DELETE | 200 | /users/1
      HEAD    | /users/1 | reader | - | 200 | /users/1
      HEAD    | /orders/1 | omni  | - | 403 | insufficient_scope
      get     | /users/1 | reader | - | 200 | /users/1
      delete  | /users/1 | reader | - | 403 | insufficient_scope | Missing scope 'users:write'.
      # orders: GET /orders/*/items/** and GET /orders/*
      GET     | /orders/1                       | omni   | - | 200 | /orders/1
      GET     | /orders/1/items/2/x             | omni   | - | 200 | /orders/1/items/2/x
      GET     | /orders                         | omni   | - | 403 | insufficient_scope | No access rule allows GET /orders.
      GET     | /orders/1/2                     | omni   | - | 403 | insufficient_scope | No access rule allows GET /orders/1/2.
      # grants: scopes never stand in for an API
      GET     | /orders/1                       | reader | - | 403 | insufficient_scope | This key is not granted the API 'orders'.
      GET     | /users/1                        | other  | - | 403 | insufficient_scope | This key is not granted the API 'users'.
      GET     | /analytics/x                    | other  | - | 200 | /analytics/x
      GET     | /analytics/x                    | reader | - | 403 | insufficient_scope | This key is not granted the API 'analytics'.
      # anonymous callers (key_auth.anonymous): GET /open/public/** needs no scope, /open/private/** open:read
      GET     | /open/public/x                  | -      | - | 200 | /open/public/x
      GET     | /open/private/x                 | -      | - | 401 | key_missing | An API key with scope 'open:read' is required for this request.
      POST    | /open/public/x                  | -      | - | 403 | insufficient_scope | No access rule allows POST /open/public/x.
      GET     | /open/private/x                 | reader | - | 403 | insufficient_scope | Missing scope 'open:read'.
      GET     | /open/private/x                 | root   | - | 200 | /open/private/x
      """;

  static Stream<Case> cases() {
    return TABLE.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(Case::parse);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decision(Case c) throws Exception {
    upstream.clear();
    HttpRequest.Builder b =
        gw.request(c.target).method(c.method, HttpRequest.BodyPublishers.noBody());
    if (c.key != null) {
      b.header("X-API-Key", java.util.Objects.requireNonNull(KEYS.get(c.key)));
    }
    if (c.headers.length > 0) {
      b.headers(c.headers);
    }
    HttpResponse<String> r = gw.send(b.build());

    assertThat(r.statusCode()).isEqualTo(c.status);
    String expected = c.upstream;
    if (expected != null) {
      assertThat(upstream.received()).hasSize(1);
      EchoUpstream.Received got = upstream.last();
      assertThat(got.uri()).isEqualTo(expected);
      assertThat(got.method()).isEqualTo(c.method);
      assertThat(got.header("x-api-key")).isNull();
      assertThat(got.headers().names())
          .noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT).contains("method"));
      return;
    }
    assertThat(upstream.received()).isEmpty();
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    if (c.method.equals("HEAD")) {
      return; // no body to read the problem from
    }
    JsonObject p = new JsonObject(r.body());
    assertThat(p.getString("code")).isEqualTo(c.code);
    assertThat(p.getInteger("status")).isEqualTo(c.status);
    assertThat(p.getString("request_id"))
        .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
    if (c.detail != null) {
      assertThat(p.getString("detail")).isEqualTo(c.detail);
    }
    if (c.status == 401) {
      assertThat(r.headers().firstValue("www-authenticate")).hasValue("ApiKey realm=\"xecure\"");
    }
    for (String k : KEYS.values()) {
      assertThat(r.body()).doesNotContain(k);
    }
  }

  record Case(
      String row,
      String method,
      String target,
      @Nullable String key,
      String[] headers,
      int status,
      @Nullable String code,
      @Nullable String detail,
      @Nullable String upstream) {

    static Case parse(String row) {
      String[] c = row.split("\\|");
      for (int i = 0; i < c.length; i++) {
        c[i] = c[i].trim();
      }
      String key = c[2].equals("-") ? null : c[2];
      String[] headers = c[3].equals("-") ? new String[0] : c[3].split(":\\s*", 2);
      int status = Integer.parseInt(c[4]);
      String detail = c.length > 6 ? c[6] : null;
      return status == 200
          ? new Case(row, c[0], c[1], key, headers, status, null, null, c[5])
          : new Case(row, c[0], c[1], key, headers, status, c[5], detail, null);
    }

    @Override
    public String toString() {
      return row;
    }
  }

  private static void key(Developer dev, String alias, List<String> apis, String... scopes) {
    KEYS.put(alias, gw.issue(dev, apis, List.of(scopes), List.of())[0]);
  }

  private static AccessRule rule(List<String> methods, String path, String... scopes) {
    return new AccessRule(methods, path, List.of(scopes));
  }

  private static ApiConfig withAccess(ApiConfig api, AccessRule... rules) {
    return ApiConfigBuilder.from(api).access(rules).build();
  }
}
