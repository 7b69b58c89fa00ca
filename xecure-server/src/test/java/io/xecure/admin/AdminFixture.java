package io.xecure.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.accounts.PasswordHasher;
import io.xecure.alerts.AlertService;
import io.xecure.cluster.ChangeApplier;
import io.xecure.cluster.NodeDirectory;
import io.xecure.config.AlertsConfig;
import io.xecure.config.ApiConfig;
import io.xecure.keys.KeyFormat;
import io.xecure.keys.KeyHasher;
import io.xecure.keys.KeyIndex;
import io.xecure.keys.KeyOutcome;
import io.xecure.keys.KeyVerifier;
import io.xecure.operators.OperatorService;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.scrub.Scrubber;
import io.xecure.service.ConfigService;
import io.xecure.service.DeveloperService;
import io.xecure.service.EventService;
import io.xecure.service.KeyService;
import io.xecure.service.UsageService;
import io.xecure.store.AlertStore;
import io.xecure.store.ChangeLog;
import io.xecure.store.NodeStore;
import io.xecure.store.OperatorStore;
import io.xecure.store.Store;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.ConfigHolder;
import io.xecure.testing.MemoryAlertStore;
import io.xecure.testing.MemoryOperatorStore;
import io.xecure.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The admin API served over real HTTP on 127.0.0.1, port 0, on a given store, with a verifier on
 * the same key index (so tests see what the gateway would decide) and a clock tests move by hand.
 */
public final class AdminFixture implements AutoCloseable {
  public static final String TOKEN = "test-admin-token-0123456789abcdefghijkl";
  static final String METRICS_TOKEN = "test-metrics-token-0123456789";

  /** What the fixture's {@code /metrics} answers; it asks for a token, as off loopback. */
  static final String METRICS = "xecure_test_total 1.0\n";

  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  final Vertx vertx = Vertx.vertx();
  final Store store;
  final KeyIndex index = new KeyIndex();
  final MutableClock clock = new MutableClock(START);
  final KeyFormat format = new KeyFormat("xk_");
  final KeyHasher hasher = new KeyHasher("test-pepper");
  final KeyVerifier verifier = new KeyVerifier(format, hasher, index);
  final AtomicBoolean ready = new AtomicBoolean(true);
  final AdminApi api;
  final ConfigService configs;
  final AlertService alerts;
  final OperatorService operators;
  // HTTP/1.1 as curl and browsers speak it in clear. The JDK client's default asks for an h2c
  // upgrade on each new connection, which this fixture's listener once took (Vert.x's default,
  // unlike the gateway's listeners) and a console file was read as HTTP/2 frames on CI
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final HttpServer server;
  final URI base;

  public String baseUrl() {
    return base.toString();
  }

  public AdminFixture(Store store) throws Exception {
    this.store = store;
    // every store under test keeps the change feed; the services apply their writes through it
    ChangeApplier changes =
        new ChangeApplier((ChangeLog) store, index, this::reloadRouting, System::nanoTime);
    DeveloperService developers = new DeveloperService(vertx, store, changes, clock);
    KeyService keys = new KeyService(vertx, store, index, changes, format, hasher, clock);
    configs =
        new ConfigService(
            vertx,
            store,
            new ConfigHolder(),
            List.of(usersApi()),
            plans(),
            clock,
            changes::applyCommitted);
    configs.restore();
    changes.load();
    // the JDBC stores keep alerts too; the memory store's test double does not
    AlertStore alertStore = store instanceof AlertStore a ? a : new MemoryAlertStore();
    alerts =
        new AlertService(vertx, alertStore, store, AlertsConfig.DEFAULT, clock, Scrubber.DEFAULT);
    OperatorStore operatorStore = store instanceof OperatorStore o ? o : new MemoryOperatorStore();
    operators = new OperatorService(vertx, store, operatorStore, PasswordHasher.DEFAULT, clock);
    api =
        new AdminApi(
            vertx,
            developers,
            keys,
            new EventService(vertx, store),
            configs,
            new UsageService(vertx, store, index),
            alerts,
            operators,
            store instanceof NodeStore nodeStore
                ? new NodeDirectory(vertx, nodeStore::nodes, () -> 0, n -> true)
                : NodeDirectory.none(vertx),
            ready::get,
            TOKEN,
            new MetricsEndpoint(() -> METRICS, true, METRICS_TOKEN));
    server =
        vertx
            // as the gateway's admin listener: no cleartext HTTP/2 (H2cUpgradeTest)
            .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
            .requestHandler(api.router())
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    base = URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private void reloadRouting() {
    configs.reload();
  }

  static Map<String, PlanConfig> plans() {
    return Map.of(
        "free",
        new PlanConfig(
            new PlanConfig.Rate(10, Duration.ofSeconds(1)),
            new PlanConfig.Quota(10_000, PlanConfig.QuotaWindow.MONTH),
            PlanConfig.LimitBy.KEY),
        "pro",
        new PlanConfig(
            new PlanConfig.Rate(1000, Duration.ofSeconds(1)), null, PlanConfig.LimitBy.KEY));
  }

  static ApiConfig usersApi() {
    return ApiConfigBuilder.api("users", "/users", "http://127.0.0.1:9000")
        .defaultPlan("free")
        .build();
  }

  public KeyOutcome verify(String plaintext) {
    return verifier.verify(plaintext, clock.millis()).outcome();
  }

  Response get(String path) throws Exception {
    return call("GET", path, null);
  }

  Response post(String path, @Nullable String json) throws Exception {
    return call("POST", path, json);
  }

  Response call(String method, String path, @Nullable String json) throws Exception {
    HttpRequest.Builder request = authorized(path);
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return send(request);
  }

  HttpRequest.Builder authorized(String path) {
    return request(path).header("authorization", "Bearer " + TOKEN);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
  }

  Response send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers(), r.body());
  }

  /** Creates a developer and answers its id. */
  public String developer(String name) throws Exception {
    Response r =
        post(
            "/admin/developers",
            "{\"name\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}");
    return r.json().getString("id");
  }

  /** Issues a key for all APIs and answers the create response. */
  JsonObject issue(String developerId) throws Exception {
    Response r =
        post(
            "/admin/developers/" + developerId + "/keys",
            "{\"name\":\"ci\",\"apis\":[\"*\"],\"scopes\":[\"users:read\"]}");
    if (r.status() != 201) {
      throw new AssertionError("issue failed: " + r.status() + " " + r.body());
    }
    return r.json();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
    store.close();
  }

  record Response(int status, HttpHeaders headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray items() {
      return json().getJsonArray("items");
    }

    @Nullable String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }
}
