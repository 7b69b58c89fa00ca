package io.xecure.portal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.app.Gateway;
import io.xecure.config.AdminConfig;
import io.xecure.config.ApiConfig;
import io.xecure.config.ClusterConfig;
import io.xecure.config.EventsConfig;
import io.xecure.config.GatewayConfig;
import io.xecure.config.KeysConfig;
import io.xecure.config.ListenConfig;
import io.xecure.config.PortalConfig;
import io.xecure.config.RetentionConfig;
import io.xecure.config.StoreConfig;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.MutableClock;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real gateway with its portal listener, admin listener and data plane on 127.0.0.1 (port 0), an
 * H2 store in a temporary directory, an echo upstream behind API {@code users}, and a clock the
 * test moves. Developers speak to the portal through {@link Browser}s: JDK HTTP clients with a
 * cookie jar each.
 */
public final class PortalFixture implements AutoCloseable {
  static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
  static final String PASSWORD = "correct horse battery";

  final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(10)));
  final EchoUpstream upstream;
  public final Gateway gateway;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public PortalFixture(Path dir) throws Exception {
    this(
        dir,
        new StoreConfig("jdbc:h2:file:" + dir.resolve("db/xecure"), null, null),
        new ClusterConfig(null));
  }

  /** A node on {@code store}, in cluster mode when {@code cluster} names a Redis. */
  public PortalFixture(Path dir, StoreConfig store, ClusterConfig cluster) throws Exception {
    upstream = new EchoUpstream();
    ApiConfig users =
        ApiConfigBuilder.api("users", "/users", upstream.url())
            .timeout(Duration.ofSeconds(5))
            .keyAuth(
                new io.xecure.policy.keyauth.KeyAuthConfig(
                    GatewayHarness.locations("header:X-API-Key", "bearer"),
                    true,
                    false,
                    io.xecure.policy.keyauth.KeyAuthConfig.DEFAULT_MAX_BODY))
            .defaultPlan("free")
            .build();
    ApiConfig orders =
        ApiConfigBuilder.api("orders", "/orders", upstream.url())
            .timeout(Duration.ofSeconds(5))
            .build();
    Map<String, PlanConfig> plans =
        Map.of(
            "free",
            new PlanConfig(
                null,
                new PlanConfig.Quota(1000, PlanConfig.QuotaWindow.DAY),
                PlanConfig.LimitBy.KEY));
    GatewayConfig config =
        new GatewayConfig(
                new ListenConfig(0, "127.0.0.1", List.of(), Duration.ofSeconds(2)),
                new AdminConfig(0, "127.0.0.1", ADMIN_TOKEN),
                store,
                cluster,
                new KeysConfig("xk_", "test-pepper-0123456789"),
                new EventsConfig(true, null, false).withSpoolDir(dir.resolve("spool").toString()),
                plans,
                List.of(users, orders),
                RetentionConfig.DEFAULT,
                io.xecure.config.AlertsConfig.DEFAULT)
            .withPortal(new PortalConfig(0, "127.0.0.1"));
    gateway = Gateway.start(config, clock);
    gateway.indexLoaded().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public String portal(String path) {
    return "http://127.0.0.1:" + gateway.portalPort() + path;
  }

  // --- the operator's side, through the admin API ---

  Reply admin(String method, String path, @Nullable String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
            .header("authorization", "Bearer " + ADMIN_TOKEN)
            .timeout(Duration.ofSeconds(30));
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return Reply.of(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** A developer allowed two keys for {@code users}, and its invitation link. */
  String developer(String name, String email) throws Exception {
    Reply created =
        admin(
            "POST",
            "/admin/developers",
            new JsonObject().put("name", name).put("email", email).encode());
    String id = created.json().getString("id");
    Reply allowed =
        admin(
            "PUT",
            "/admin/developers/" + id + "/allowance",
            new JsonObject()
                .put("apis", new JsonArray().add("users"))
                .put("scopes", new JsonArray())
                .put("max_keys", 2)
                .encode());
    if (allowed.status() != 200) {
      throw new IllegalStateException(allowed.body());
    }
    return id;
  }

  String invite(String developerId) throws Exception {
    Reply r = admin("POST", "/admin/developers/" + developerId + "/invitations", null);
    if (r.status() != 201) {
      throw new IllegalStateException(r.body());
    }
    return r.json().getString("url");
  }

  /** {@link #developer} for tests of other packages. */
  public String developerFor(String name, String email) throws Exception {
    return developer(name, email);
  }

  /** {@link #invite} for tests of other packages. */
  public String inviteLink(String developerId) throws Exception {
    return invite(developerId);
  }

  static String token(String inviteUrl) {
    return inviteUrl.substring(inviteUrl.lastIndexOf('/') + 1);
  }

  /** A developer invited, accepted and signed in. */
  Browser signedIn(String name, String email) throws Exception {
    String id = developer(name, email);
    Browser b = new Browser(id);
    Reply accepted = b.accept(token(invite(id)), PASSWORD);
    if (accepted.status() != 200) {
      throw new IllegalStateException(accepted.body());
    }
    Reply in = b.signIn(email, PASSWORD);
    if (in.status() != 201) {
      throw new IllegalStateException(in.body());
    }
    return b;
  }

  /** A request to the gateway with the key in X-API-Key. */
  int callGateway(String path, String key) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.gatewayPort() + path))
            .header("x-api-key", key)
            .timeout(Duration.ofSeconds(30))
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    upstream.close();
  }

  /** One developer's browser: its own cookie jar, and the CSRF token the pages keep in memory. */
  final class Browser {
    final String developerId;
    final CookieManager cookies = new CookieManager();
    final HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies).build();
    @Nullable String csrf;

    Browser(String developerId) {
      this.developerId = developerId;
    }

    Reply accept(String token, String password) throws Exception {
      return post(
          "/portal/api/invitations/accept",
          new JsonObject().put("token", token).put("password", password).encode());
    }

    Reply signIn(String email, String password) throws Exception {
      Reply r =
          post(
              "/portal/api/session",
              new JsonObject().put("email", email).put("password", password).encode());
      if (r.status() == 201) {
        csrf = r.json().getString("csrf_token");
      }
      return r;
    }

    @Nullable String sessionCookie() {
      return cookies.getCookieStore().getCookies().stream()
          .filter(c -> c.getName().equals(PortalApi.COOKIE))
          .map(HttpCookie::getValue)
          .findFirst()
          .orElse(null);
    }

    Reply get(String path) throws Exception {
      return send("GET", path, null, null);
    }

    Reply post(String path, @Nullable String json) throws Exception {
      return send("POST", path, json, csrf);
    }

    Reply send(String method, String path, @Nullable String json, @Nullable String csrfToken)
        throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(portal(path))).timeout(Duration.ofSeconds(30));
      if (csrfToken != null) {
        b.header("x-csrf-token", csrfToken);
      }
      if (json == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("content-type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json));
      }
      return Reply.of(client.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    Reply createKey(String name) throws Exception {
      return post("/portal/api/keys", new JsonObject().put("name", name).encode());
    }
  }

  record Reply(int status, java.net.http.HttpHeaders headers, String body) {
    static Reply of(HttpResponse<String> r) {
      return new Reply(r.statusCode(), r.headers(), r.body());
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse("");
    }
  }
}
