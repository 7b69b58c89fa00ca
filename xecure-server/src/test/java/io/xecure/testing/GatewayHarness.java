package io.xecure.testing;

import io.xecure.app.Gateway;
import io.xecure.config.AdminConfig;
import io.xecure.config.AlertsConfig;
import io.xecure.config.ApiConfig;
import io.xecure.config.ClusterConfig;
import io.xecure.config.EventsConfig;
import io.xecure.config.GatewayConfig;
import io.xecure.config.KeysConfig;
import io.xecure.config.LimitsConfig;
import io.xecure.config.ListenConfig;
import io.xecure.config.StoreConfig;
import io.xecure.config.TlsConfig;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A real gateway on 127.0.0.1 (port 0) with an H2 store in a temporary directory, for tests that
 * speak HTTP to it. Keys are seeded through the store and the index, as the admin service would.
 */
public final class GatewayHarness implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final Gateway gateway;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  public final Path dir;

  public GatewayHarness(Path dir, List<ApiConfig> apis) {
    this(dir, apis, Clock.systemUTC());
  }

  public GatewayHarness(Path dir, List<ApiConfig> apis, Clock clock) {
    this(dir, apis, Map.of(), clock, List.of());
  }

  /**
   * A gateway on {@code wrap} applied to the H2 store it would open, e.g. a store a test can make
   * unreachable. Its events file and spool are {@code dir/events.jsonl} and {@code dir/spool}, so a
   * second harness on the same {@code dir} is a restart.
   */
  public GatewayHarness(Path dir, List<ApiConfig> apis, UnaryOperator<Store> wrap) {
    this(dir, apis, Map.of(), Clock.systemUTC(), List.of(), AlertsConfig.DEFAULT, wrap);
  }

  /** A gateway whose listeners have {@code limits} (gateway.limits). */
  public GatewayHarness(Path dir, List<ApiConfig> apis, LimitsConfig limits) {
    this(
        dir,
        config(
            dir, apis, Map.of(), List.of(), AlertsConfig.DEFAULT, new ClusterConfig(null), limits));
  }

  /** A gateway that believes X-Forwarded-For from peers in {@code trustedProxies}. */
  public GatewayHarness(Path dir, List<ApiConfig> apis, List<String> trustedProxies) {
    this(dir, apis, Map.of(), Clock.systemUTC(), trustedProxies);
  }

  /** A gateway with {@code plans} for the APIs' default_plan and keys' plans. */
  public GatewayHarness(
      Path dir, List<ApiConfig> apis, Map<String, PlanConfig> plans, Clock clock) {
    this(dir, apis, plans, clock, List.of());
  }

  private GatewayHarness(
      Path dir,
      List<ApiConfig> apis,
      Map<String, PlanConfig> plans,
      Clock clock,
      List<String> trustedProxies) {
    this(dir, apis, plans, clock, trustedProxies, AlertsConfig.DEFAULT, null);
  }

  /** A gateway with every option: plans, trusted proxies and the alert detectors' config. */
  public GatewayHarness(
      Path dir,
      List<ApiConfig> apis,
      Map<String, PlanConfig> plans,
      Clock clock,
      List<String> trustedProxies,
      AlertsConfig alerts) {
    this(dir, apis, plans, clock, trustedProxies, alerts, null);
  }

  /** A gateway in cluster mode: its limits and brute-force blocks in {@code cluster}'s Redis. */
  public GatewayHarness(
      Path dir, List<ApiConfig> apis, Map<String, PlanConfig> plans, ClusterConfig cluster) {
    this(dir, apis, plans, cluster, AlertsConfig.DEFAULT);
  }

  /** A gateway in cluster mode with the alert detectors' config. */
  public GatewayHarness(
      Path dir,
      List<ApiConfig> apis,
      Map<String, PlanConfig> plans,
      ClusterConfig cluster,
      AlertsConfig alerts) {
    this(dir, apis, plans, Clock.systemUTC(), List.of(), alerts, null, cluster);
  }

  private GatewayHarness(
      Path dir,
      List<ApiConfig> apis,
      Map<String, PlanConfig> plans,
      Clock clock,
      List<String> trustedProxies,
      AlertsConfig alerts,
      @Nullable UnaryOperator<Store> wrap) {
    this(dir, apis, plans, clock, trustedProxies, alerts, wrap, new ClusterConfig(null));
  }

  private GatewayHarness(
      Path dir,
      List<ApiConfig> apis,
      Map<String, PlanConfig> plans,
      Clock clock,
      List<String> trustedProxies,
      AlertsConfig alerts,
      @Nullable UnaryOperator<Store> wrap,
      ClusterConfig cluster) {
    this(
        dir,
        config(dir, apis, plans, trustedProxies, alerts, cluster, LimitsConfig.DEFAULT),
        clock,
        wrap);
  }

  /**
   * A gateway with {@code config}, such as {@link #config(Path, List)} with some values changed.
   */
  public GatewayHarness(Path dir, GatewayConfig config) {
    this(dir, config, Clock.systemUTC(), null);
  }

  private GatewayHarness(
      Path dir, GatewayConfig config, Clock clock, @Nullable UnaryOperator<Store> wrap) {
    this.dir = dir;
    this.gateway = Gateway.start(config, clock, wrap);
    try {
      gateway.indexLoaded().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A gateway for {@code apis} whose data-plane listener speaks TLS with {@code edge}'s certificate
   * and offers HTTP/2 by ALPN, with {@code limits}.
   */
  public static GatewayHarness overTls(
      Path dir, List<ApiConfig> apis, TestCertificates.Issued edge, LimitsConfig limits) {
    GatewayConfig c = config(dir, apis);
    TlsConfig tls = TlsConfig.of(edge.certFile().toString(), edge.keyFile().toString());
    return new GatewayHarness(
        dir, c.withGateway(c.gateway().withLimits(limits).withEdge(tls, true)));
  }

  /**
   * The configuration the harness runs {@code apis} with: ports 0, H2 and events in {@code dir}.
   */
  public static GatewayConfig config(Path dir, List<ApiConfig> apis) {
    return config(
        dir,
        apis,
        Map.of(),
        List.of(),
        AlertsConfig.DEFAULT,
        new ClusterConfig(null),
        LimitsConfig.DEFAULT);
  }

  private static GatewayConfig config(
      Path dir,
      List<ApiConfig> apis,
      Map<String, PlanConfig> plans,
      List<String> trustedProxies,
      AlertsConfig alerts,
      ClusterConfig cluster,
      LimitsConfig limits) {
    return new GatewayConfig(
        new ListenConfig(0, "127.0.0.1", trustedProxies, Duration.ofSeconds(5)).withLimits(limits),
        new AdminConfig(0, "127.0.0.1", "test-admin-token-0123456789abcdef"),
        new StoreConfig("jdbc:h2:file:" + dir.resolve("db/xecure"), null, null),
        cluster,
        new KeysConfig("xk_", "test-pepper"),
        new EventsConfig(true, dir.resolve("events.jsonl").toString())
            .withSpoolDir(dir.resolve("spool").toString())
            // a test waits seconds for its events, not the default minute, when the suite keeps
            // the CPUs busy and the indexer's idle-class thread gets none
            .withMaxStoreLag(Duration.ofSeconds(2)),
        plans,
        apis,
        io.xecure.config.RetentionConfig.DEFAULT,
        alerts);
  }

  /** An API on {@code path} in front of {@code upstream}, key in header, bearer or query. */
  public static ApiConfig api(String name, String path, String upstream) {
    return api(
        name,
        path,
        upstream,
        new KeyAuthConfig(
            locations("header:X-API-Key", "bearer", "query:api_key"),
            true,
            false,
            KeyAuthConfig.DEFAULT_MAX_BODY));
  }

  public static ApiConfig api(String name, String path, String upstream, KeyAuthConfig keyAuth) {
    return ApiConfigBuilder.api(name, path, upstream)
        .timeout(Duration.ofSeconds(5))
        .keyAuth(keyAuth)
        .build();
  }

  public static List<KeyLocation> locations(String... specs) {
    return Arrays.stream(specs).map(KeyLocation::parse).toList();
  }

  public Gateway gateway() {
    return gateway;
  }

  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + gateway.gatewayPort() + pathAndQuery;
  }

  public int port() {
    return gateway.gatewayPort();
  }

  /** A developer with the given status, in store and index. */
  public Developer developer(String name, DeveloperStatus status) {
    Developer d =
        new Developer(
            "dev_t" + IDS.incrementAndGet(), name, name + "@example.com", status, Instant.now());
    gateway.store().insertDeveloper(d, null);
    gateway.index().putDeveloper(d);
    return d;
  }

  /** Issues a new key for {@code developer}; returns [plaintext, key id]. */
  public String[] issue(Developer developer, List<String> apis, KeyStatus status) {
    String plaintext = gateway.keyFormat().generate();
    return store(developer, plaintext, apis, status);
  }

  /** Issues a new active key with these rights; returns [plaintext, key id]. */
  public String[] issue(
      Developer developer, List<String> apis, List<String> scopes, List<String> allowedCidrs) {
    String plaintext = gateway.keyFormat().generate();
    return store(developer, plaintext, apis, scopes, allowedCidrs, KeyStatus.ACTIVE, null, null);
  }

  /** Stores a given plaintext (an imported key). */
  public String[] store(
      Developer developer, String plaintext, List<String> apis, KeyStatus status) {
    return store(developer, plaintext, apis, List.of(), List.of(), status, null, null);
  }

  /**
   * Issues an active key on {@code plan} (null: the API's default) carrying the identity of {@code
   * identityId} for limits (null: its own, as a new key; a key id: as a rotated key).
   */
  public String[] issue(
      Developer developer, List<String> apis, @Nullable String plan, @Nullable String identityId) {
    String plaintext = gateway.keyFormat().generate();
    return store(
        developer, plaintext, apis, List.of(), List.of(), KeyStatus.ACTIVE, plan, identityId);
  }

  private String[] store(
      Developer developer,
      String plaintext,
      List<String> apis,
      List<String> scopes,
      List<String> allowedCidrs,
      KeyStatus status,
      @Nullable String plan,
      @Nullable String identityId) {
    String id = "key_t" + IDS.incrementAndGet();
    ApiKeyRecord record =
        ApiKeyRecordBuilder.key(id, developer.id())
            .secret(gateway.keyFormat().displayPrefix(plaintext), gateway.hasher().hash(plaintext))
            .status(status)
            .createdAt(Instant.now())
            .apis(apis)
            .scopes(scopes)
            .allowedCidrs(allowedCidrs)
            .plan(plan)
            .replaces(identityId, identityId)
            .build();
    gateway.store().insertKey(record, null);
    gateway.index().put(record);
    return new String[] {plaintext, id};
  }

  public HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws Exception {
    return http.send(request, body);
  }

  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(url(pathAndQuery)));
  }

  @Override
  public void close() {
    gateway.close();
  }
}
