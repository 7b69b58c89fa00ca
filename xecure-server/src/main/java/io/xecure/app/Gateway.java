package io.xecure.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.xecure.accounts.PasswordHasher;
import io.xecure.accounts.SignInThrottle;
import io.xecure.admin.AdminApi;
import io.xecure.admin.MetricsEndpoint;
import io.xecure.alerts.AlertService;
import io.xecure.alerts.Detectors;
import io.xecure.clock.CoarseClock;
import io.xecure.cluster.ChangeApplier;
import io.xecure.cluster.ChangeFeed;
import io.xecure.cluster.NodeDirectory;
import io.xecure.cluster.NodeHeartbeat;
import io.xecure.config.EventsConfig;
import io.xecure.config.GatewayConfig;
import io.xecure.config.PortalConfig;
import io.xecure.config.TlsConfig;
import io.xecure.events.EventSink;
import io.xecure.events.EventSinks;
import io.xecure.events.EventStats;
import io.xecure.events.recorder.EventRecorder;
import io.xecure.jobs.RetentionJob;
import io.xecure.jobs.UsageFlusher;
import io.xecure.keys.KeyFormat;
import io.xecure.keys.KeyHasher;
import io.xecure.keys.KeyIndex;
import io.xecure.keys.KeyVerifier;
import io.xecure.logging.AccessLog;
import io.xecure.logging.LogFormatEncoder;
import io.xecure.metrics.Metrics;
import io.xecure.net.limits.InvalidRequests;
import io.xecure.net.limits.ListenerLimits;
import io.xecure.operators.OperatorService;
import io.xecure.pem.PemException;
import io.xecure.policy.bruteforce.FailureTracker;
import io.xecure.policy.keyauth.BodyBudget;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.portal.PortalApi;
import io.xecure.portal.PortalService;
import io.xecure.proxy.Forwarder;
import io.xecure.proxy.NettyProxyServer;
import io.xecure.proxy.ProxyHandler;
import io.xecure.redis.RedisFailureLedger;
import io.xecure.redis.RedisKeys;
import io.xecure.redis.RedisLimiterStore;
import io.xecure.redis.RedisLink;
import io.xecure.redis.RedisTraffic;
import io.xecure.scrub.Scrubber;
import io.xecure.service.ConfigService;
import io.xecure.service.DeveloperService;
import io.xecure.service.EventService;
import io.xecure.service.KeyService;
import io.xecure.service.UsageService;
import io.xecure.store.SplitStore;
import io.xecure.store.Store;
import io.xecure.store.duck.DuckEventStore;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.tls.ListenerTls;
import io.xecure.usage.UsageAggregator;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway process: the store, the in-memory key index, the routing snapshot, one proxy listener
 * per event loop and the admin listener. {@link #start} returns once both ports listen; the index
 * starts loading as soon as the store is open, beside the rest of the start, and {@code /health}
 * answers 503 until it is complete.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** How often the TLS listeners look for changed certificate files. */
  private static final Duration TLS_FILE_CHECK = Duration.ofSeconds(2);

  private final GatewayConfig config;
  private final Vertx vertx;
  private final Store store;
  private final JdbcStore jdbc;
  private final AlertService alerts;
  private final Detectors detectors;
  private final KeyIndex index;
  private final ChangeApplier applier;
  private final ChangeFeed feed;
  private final NodeHeartbeat heartbeat;
  private final KeyFormat format;
  private final KeyHasher hasher;
  private final Routes routes;
  private final Forwarder forwarder;
  private final @Nullable EventRecorder recorder;
  private final UsageAggregator usage;
  private final UsageFlusher usageFlusher;
  private final RetentionJob retention;
  private final Metrics metrics = new Metrics();
  private final ListenerLimits gatewayLimits;
  private final ListenerLimits adminLimits;
  private final NettyProxyServer proxy;
  private final DeveloperService developers;
  private final KeyService keys;
  private final ConfigService configs;
  private final OperatorService operators;
  private final String adminToken;
  private final boolean adminTokenGenerated;
  private @Nullable HttpServer admin;
  private final @Nullable ListenerTls gatewayTls;
  private final @Nullable ListenerTls adminTls;
  private final PortalService portal;
  private @Nullable HttpServer portalServer;
  private final Promise<Void> indexLoaded = Promise.promise();

  /**
   * Completed once every listener listens; cancelled when the start or the gateway is abandoned.
   */
  private final CompletableFuture<Void> listening = new CompletableFuture<>();

  private final String node;

  /** Cluster mode's link to Redis; null on a single node. */
  private final @Nullable RedisLink redis;

  /** How many nodes share the limits now: a Redis outage divides each limit by it. */
  private volatile IntSupplier liveNodes = () -> 1;

  private Gateway(GatewayConfig config, Clock clock, @Nullable UnaryOperator<Store> wrap) {
    this.config = config;
    this.node = "node-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 28, 36);
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    this.vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    this.jdbc = openStore(config);
    this.index = new KeyIndex();
    this.applier = new ChangeApplier(jdbc, index, this::reloadRouting, System::nanoTime);
    this.feed = new ChangeFeed(applier, jdbc, config.cluster());
    // the index streams in beside the rest of the start (a million keys take seconds); its load
    // waits in reloadRouting for the listeners, so a start that fails says so before it is loaded
    feed.start();
    try {
      Store withEvents = withRequestEvents(config, jdbc);
      this.store = wrap == null ? withEvents : wrap.apply(withEvents);
      Scrubber scrubber = new Scrubber(config.keys().prefix(), config.events().redactParams());
      LogFormatEncoder.scrubWith(scrubber);
      this.alerts = new AlertService(vertx, jdbc, store, config.alerts(), clock, scrubber);
      alerts.onRaised(type -> metrics.alertRaised(type.wire()));
      String redisUrl = config.cluster().redis();
      this.redis =
          redisUrl == null
              ? null
              : new RedisLink(
                  vertx,
                  redisUrl,
                  config.cluster().limiterTimeout(),
                  Detectors.limiterDegraded(config.alerts(), alerts, node));
      RedisKeys redisKeys = new RedisKeys(config.cluster().keyPrefix());
      this.detectors =
          new Detectors(
              config.alerts(),
              CoarseClock.over(clock), // read on every request, for minutes-long windows
              alerts,
              redis == null
                  ? null
                  : new RedisTraffic(redis, redisKeys, config.alerts().keyShared().window()));
      this.format = new KeyFormat(config.keys().prefix());
      this.hasher = new KeyHasher(config.keys().pepper());
      if (config.keys().pepper() == null) {
        LOG.warn(
            "keys.pepper is not set: key hashes are plain SHA-256, so a copy of the store lets anyone"
                + " test guesses offline; set XECURE_KEYS_PEPPER to a random secret of at least 16"
                + " bytes before issuing keys (changing it later invalidates every key)");
      }
      // one section for both listeners (SPEC §9: the admin listener has the same limits), counted
      // apart, so that a flood on the data port never takes the admin port's connections
      this.gatewayLimits = new ListenerLimits("gateway", config.gateway().limits());
      this.adminLimits = new ListenerLimits("admin", config.gateway().limits());
      metrics.bindListener(gatewayLimits);
      metrics.bindListener(adminLimits);
      BodyBudget bodies = new BodyBudget(config.gateway().limits().bufferedBodies());
      metrics.bindBodyBudget(bodies);
      this.forwarder = new Forwarder(vertx, config.gateway().limits().maxUpstreamConnections());
      MemoryLimiterStore limits = new MemoryLimiterStore(clock);
      RedisLink link = redis;
      // alone, a node blocks at the threshold; as the fallback of Redis, at its share of it
      FailureTracker failures =
          new FailureTracker(
              config.gateway().bruteForce(),
              clock,
              FailureTracker.DEFAULT_MAXIMUM_CLIENTS,
              detectors.bruteForce(),
              link == null ? () -> 1 : () -> liveNodes.getAsInt());
      if (link == null) {
        this.routes =
            new Routes(
                new KeyVerifier(format, hasher, index, feed::stale),
                clock,
                forwarder,
                failures,
                detectors.quota(limits),
                bodies);
      } else {
        RedisKeys keys = redisKeys;
        metrics.bindLimiter(link);
        this.routes =
            new Routes(
                new KeyVerifier(format, hasher, index, feed::stale),
                clock,
                forwarder,
                new RedisFailureLedger(
                    link, keys, config.gateway().bruteForce(), failures, detectors.bruteForce()),
                detectors.quota(
                    new RedisLimiterStore(link, keys, null, limits, () -> liveNodes.getAsInt())),
                bodies);
      }
      this.configs =
          new ConfigService(
              vertx, store, routes, config.apis(), config.plans(), clock, applier::applyCommitted);
      restoreRuntimeChanges();
      this.recorder = config.events().enabled() ? openRecorder(config, store, clock) : null;
      this.usage = new UsageAggregator(index::identityOf);
      this.usageFlusher = new UsageFlusher(vertx, store, usage, clock);
      metrics.bindKeyIndex(index);
      if (recorder != null) {
        metrics.bindEvents(recorder);
      }
      EventSink events = EventSinks.fanOut(eventSinks());
      this.gatewayTls = listenerTls("gateway.tls", config.gateway().tls());
      this.adminTls = listenerTls("admin.tls", config.admin().tls());
      ProxyHandler handler =
          new ProxyHandler(config.gateway(), routes::table, index, events, scrubber, node, clock);
      // one server whose connections spread over every event loop
      this.proxy =
          new NettyProxyServer(vertx, config.gateway(), handler, gatewayLimits, gatewayTls);
      this.heartbeat =
          new NodeHeartbeat(
              jdbc,
              new NodeHeartbeat.NodeIdentity(
                  node,
                  version(),
                  clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)),
              this::address,
              applier,
              index,
              () -> {
                RedisLink r = redis;
                return r == null ? NodeHeartbeat.NOT_CONFIGURED : r.up() ? "ok" : "unreachable";
              },
              config.cluster().heartbeatInterval(),
              clock);
      metrics.bindCluster(applier, heartbeat.liveNodeCount());
      this.liveNodes = heartbeat.liveNodeCount();
      NodeHeartbeat beats = heartbeat;
      this.retention =
          new RetentionJob(
              vertx,
              store,
              config.retention(),
              clock,
              new RetentionJob.Feed(jdbc, jdbc, node -> beats.live(node, clock.instant())));
      this.developers = new DeveloperService(vertx, store, applier, clock);
      this.keys =
          new KeyService(
              vertx, store, index, applier, format, hasher, clock, detectors.keyLeaked());
      // operators live with the alerts in the JDBC store, behind any wrapper tests put on the store
      SignInThrottle.Ledgers signIns = signInLedgers(redisKeys, clock);
      this.operators =
          new OperatorService(vertx, store, jdbc, PasswordHasher.DEFAULT, clock, signIns);
      this.portal =
          new PortalService(
              vertx, store, jdbc, PasswordHasher.DEFAULT, clock, signIns, this::portalUrl);
      String token = config.admin().token();
      this.adminTokenGenerated = token == null;
      this.adminToken = token == null ? AdminTokens.generate() : token;
    } catch (RuntimeException | Error e) {
      abandonStart();
      throw e;
    }
  }

  /** Stops what a failed construction already started: the index load, the store, the loops. */
  private void abandonStart() {
    listening.cancel(false);
    feed.close();
    jdbc.close();
    vertx.close();
  }

  /**
   * Where refused sign-ins (console and portal) are counted: in Redis in cluster mode, so that the
   * nodes share one budget per account and per client, falling back to this node's share of it
   * while Redis does not answer, as the brute-force guard does; in memory on a single node.
   */
  private SignInThrottle.Ledgers signInLedgers(RedisKeys keys, Clock clock) {
    RedisLink link = redis;
    if (link == null) {
      return SignInThrottle.Ledgers.inMemory(clock);
    }
    return (scope, guard) ->
        new RedisFailureLedger(
            link,
            keys,
            scope,
            guard,
            new FailureTracker(
                guard,
                clock,
                FailureTracker.DEFAULT_MAXIMUM_CLIENTS,
                FailureTracker.BlockListener.NONE,
                () -> liveNodes.getAsInt()),
            FailureTracker.BlockListener.NONE);
  }

  /** Everything that sees each request event, in order. Called once, at construction. */
  private List<EventSink> eventSinks() {
    List<EventSink> sinks = new ArrayList<>();
    if (recorder != null) {
      sinks.add(recorder);
    }
    sinks.add(usage);
    EventSink watched = detectors.requests();
    if (watched != EventSink.NONE) {
      sinks.add(watched);
    }
    sinks.add(metrics.requests());
    if (config.events().accessLog()) {
      sinks.add(new AccessLog());
    }
    return sinks;
  }

  /** The file's APIs and plans, with the runtime changes kept in the store applied over them. */
  private void restoreRuntimeChanges() {
    try {
      configs.restore();
    } catch (RuntimeException e) {
      throw new StartupException(
          "store.url: cannot read the runtime changes to APIs and plans: " + e.getMessage(), e);
    }
  }

  /** A listener's certificates, read again now: the files may have changed since validation. */
  private static @Nullable ListenerTls listenerTls(String path, @Nullable TlsConfig tls) {
    if (tls == null) {
      return null;
    }
    try {
      return ListenerTls.load(path, tls);
    } catch (PemException e) {
      throw new StartupException(String.valueOf(e.getMessage()), e);
    }
  }

  private Future<HttpServer> startAdmin() {
    AdminApi api =
        new AdminApi(
            vertx,
            developers,
            keys,
            new EventService(vertx, store),
            configs,
            new UsageService(vertx, store, index),
            alerts,
            operators,
            new NodeDirectory(
                vertx,
                jdbc::nodes,
                jdbc::latestSequence,
                NodeDirectory.liveBy(heartbeat, keys.clock())),
            index::ready,
            adminToken,
            MetricsEndpoint.of(config.admin(), metrics::scrape),
            portal);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.admin().bind())
            .setPort(config.admin().port())
            .setHttp2ClearTextEnabled(false);
    ListenerTls tls = adminTls;
    if (tls != null) {
      tls.apply(options, true);
    }
    return vertx
        .createHttpServer(adminLimits.apply(options))
        .connectionHandler(adminLimits::admit)
        .invalidRequestHandler(InvalidRequests::answer)
        .requestHandler(adminLimits.guarded(api.router()))
        .listen()
        .onSuccess(
            s -> {
              admin = s;
              if (tls != null) {
                tls.serve(s);
              }
            });
  }

  /** The developer portal's listener, when the configuration has one. */
  private Future<HttpServer> startPortal(PortalConfig settings) {
    PortalApi api =
        new PortalApi(
            vertx, portal, keys, new UsageService(vertx, store, index), configs, this::gatewayUrl);
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost(settings.bind())
                .setPort(settings.port())
                .setHttp2ClearTextEnabled(false))
        .requestHandler(api.router())
        .listen()
        .onSuccess(s -> portalServer = s);
  }

  /** Where developers reach the portal: its configured url, else its bound address; null: none. */
  public @Nullable String portalUrl() {
    PortalConfig settings = config.portal();
    HttpServer server = portalServer;
    if (settings == null || server == null) {
      return null;
    }
    String url = settings.url();
    return url != null ? url : "http://" + host(settings.bind()) + ":" + server.actualPort();
  }

  /** Where developers call the gateway, for the portal's example requests. */
  private String gatewayUrl() {
    PortalConfig settings = config.portal();
    String url = settings == null ? null : settings.gatewayUrl();
    return url != null ? url : "http://" + host(config.gateway().bind()) + ":" + gatewayPort();
  }

  /** A bind address as a URL host: a wildcard is this machine. */
  private static String host(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
      return "localhost";
    }
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }

  /** Starts a gateway; throws {@link StartupException} with one clear line when it cannot. */
  public static Gateway start(GatewayConfig config, Clock clock) {
    return start(config, clock, null);
  }

  /**
   * Starts a gateway whose store is {@code wrap} applied to the one {@code store.url} names (tests
   * put a store they can make fail in front of the real one); the gateway closes it.
   */
  public static Gateway start(
      GatewayConfig config, Clock clock, @Nullable UnaryOperator<Store> wrap) {
    Gateway gateway = new Gateway(config, clock, wrap);
    try {
      gateway.connectRedis();
      await(gateway.proxy.start(), "gateway", config.gateway().bind(), config.gateway().port());
      await(gateway.startAdmin(), "admin", config.admin().bind(), config.admin().port());
      PortalConfig portalConfig = config.portal();
      if (portalConfig != null) {
        await(
            gateway.startPortal(portalConfig), "portal", portalConfig.bind(), portalConfig.port());
      }
    } catch (RuntimeException e) {
      gateway.close();
      throw e;
    }
    gateway.feed.loaded().whenComplete((v, e) -> gateway.indexLoaded.tryComplete());
    gateway.listening.complete(null);
    for (ListenerTls tls : new ListenerTls[] {gateway.gatewayTls, gateway.adminTls}) {
      if (tls != null) {
        tls.watch(gateway.vertx, TLS_FILE_CHECK);
      }
    }
    gateway.heartbeat.start();
    gateway.usageFlusher.start();
    gateway.retention.start();
    return gateway;
  }

  /**
   * Waits a moment for Redis before serving, so that the first requests are already shared; a Redis
   * that does not answer does not stop the start: the node limits on its own meanwhile.
   */
  private void connectRedis() {
    RedisLink link = redis;
    if (link == null) {
      return;
    }
    try {
      link.connect().toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // logged by the link, which keeps probing in the background
    }
  }

  /**
   * Tells the gateway how many nodes share the limits now (default 1), for the per-node limits it
   * applies while Redis does not answer: each limit divided by this count.
   */
  public void liveNodes(IntSupplier nodes) {
    this.liveNodes = nodes;
  }

  /** Cluster mode's link to Redis, or null on a single node. */
  public @Nullable RedisLink redis() {
    return redis;
  }

  private static void await(Future<?> listening, String what, String bind, int port) {
    try {
      listening.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
        throw new StartupException(
            what + ".port: " + bind + ":" + port + " is already in use", cause);
      }
      throw new StartupException(
          what + ": cannot listen on " + bind + ":" + port + ": " + cause.getMessage(), cause);
    }
  }

  private static JdbcStore openStore(GatewayConfig config) {
    try {
      return JdbcStore.open(config.store().url(), config.store().user(), config.store().password());
    } catch (RuntimeException e) {
      throw new StartupException("store.url: cannot open the store: " + e.getMessage(), e);
    }
  }

  /**
   * The store, with request events in a DuckDB file of their own when {@code events.engine} says so
   * (the default with an embedded H2 store): {@code events.duckdb.file}, else {@code events.duckdb}
   * beside the H2 file (in memory with an in-memory H2).
   */
  private static Store withRequestEvents(GatewayConfig config, JdbcStore jdbc) {
    EventsConfig events = config.events();
    if (events.engineFor(config.store()) != EventsConfig.Engine.DUCKDB) {
      return jdbc;
    }
    if (!jdbc.embedded()) {
      throw new StartupException(
          "events.engine: duckdb needs an embedded H2 store (store.url jdbc:h2:...): a cluster's"
              + " events belong in its shared store, use events.engine: store");
    }
    String configured = events.duckdbFile();
    Path h2 = jdbc.embeddedFile();
    Path file =
        configured != null
            ? Path.of(configured)
            : h2 == null ? null : h2.toAbsolutePath().resolveSibling("events.duckdb");
    try {
      return new SplitStore(jdbc, DuckEventStore.open(file, events.duckdbMemoryLimit()));
    } catch (RuntimeException e) {
      throw new StartupException(
          "events.duckdb: cannot open the request events: " + e.getMessage(), e);
    }
  }

  private static EventRecorder openRecorder(GatewayConfig config, Store store, Clock clock) {
    try {
      return new EventRecorder(store, config.events(), clock);
    } catch (IOException e) {
      throw new StartupException(
          "events: cannot open the events file or the spool: " + e.getMessage(), e);
    }
  }

  /** Where this node serves requests: the bound port once listening, else the configured one. */
  private String address() {
    int port = config.gateway().port();
    try {
      port = gatewayPort();
    } catch (RuntimeException e) {
      // not listening yet
    }
    return config.gateway().bind() + ":" + port;
  }

  private static String version() {
    String v = Gateway.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The live gateway nodes (at least 1): N for a per-node fallback limit of limit / N. */
  public java.util.function.IntSupplier liveNodes() {
    return heartbeat.liveNodeCount();
  }

  /**
   * The change applier's way to apply a change to an API or plan. The index's first load, started
   * early in the constructor, gets here once its keys are in and waits for the listeners: the
   * routing services exist by then, and a start that fails is never reported as loaded.
   */
  private void reloadRouting() {
    listening.join(); // a CancellationException when the start or the gateway is abandoned
    configs.reload();
  }

  /** Counters of event recording (all zero when events are disabled). */
  public EventStats eventStats() {
    EventRecorder r = recorder;
    return r == null ? EventStats.NONE : r;
  }

  /** Completes when every key is in memory. */
  public Future<Void> indexLoaded() {
    return indexLoaded.future();
  }

  public GatewayConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Store store() {
    return store;
  }

  public KeyIndex index() {
    return index;
  }

  /** The one applier of the change feed: what this node has applied, and how stale it is. */
  public ChangeFeed changeFeed() {
    return feed;
  }

  public KeyFormat keyFormat() {
    return format;
  }

  public KeyHasher hasher() {
    return hasher;
  }

  public Routes routes() {
    return routes;
  }

  public String node() {
    return node;
  }

  public DeveloperService developers() {
    return developers;
  }

  public KeyService keys() {
    return keys;
  }

  /** Alerts raised, listed and acknowledged; their counters for metrics. */
  public AlertService alerts() {
    return alerts;
  }

  /** The meters of {@code GET /metrics}; {@link Metrics#alertRaised} counts alerts. */
  public Metrics metrics() {
    return metrics;
  }

  /** Operator accounts, their tokens and sessions. */
  public OperatorService operators() {
    return operators;
  }

  /** Runtime changes to APIs and plans. */
  public ConfigService configs() {
    return configs;
  }

  /** Writes usage roll-ups and keys' last use to the store (tests flush it directly). */
  public UsageFlusher usageFlusher() {
    return usageFlusher;
  }

  /** Counts every request event in memory until the flusher takes the counts. */
  public UsageAggregator usage() {
    return usage;
  }

  /** Deletes request events and usage past their retention. */
  public RetentionJob retention() {
    return retention;
  }

  /** The admin token: the configured one, or one generated at start-up. */
  public String adminToken() {
    return adminToken;
  }

  /** Whether {@link #adminToken} was generated (and so must be shown to the operator once). */
  public boolean adminTokenGenerated() {
    return adminTokenGenerated;
  }

  public int adminPort() {
    HttpServer s = admin;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s.actualPort();
  }

  /** The portal port actually bound; fails when no portal listens. */
  public int portalPort() {
    HttpServer s = portalServer;
    if (s == null) {
      throw new IllegalStateException("no portal");
    }
    return s.actualPort();
  }

  /** Portal accounts, invitations, sessions and allowances. */
  public PortalService portal() {
    return portal;
  }

  /** The data-plane port actually bound (differs from the config when it asked for 0). */
  public int gatewayPort() {
    return proxy.port();
  }

  /**
   * Stops accepting, lets in-flight requests finish (bounded by gateway.shutdown_grace), flushes
   * events and usage, and closes the store.
   */
  @Override
  public void close() {
    Duration grace = config.gateway().shutdownGrace();
    try {
      proxy
          .shutdown(grace)
          .toCompletionStage()
          .toCompletableFuture()
          .get(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("in-flight requests did not finish within the shutdown grace");
    }
    heartbeat.close();
    listening.cancel(false);
    feed.close();
    for (ListenerTls tls : new ListenerTls[] {gatewayTls, adminTls}) {
      if (tls != null) {
        tls.close(vertx);
      }
    }
    HttpServer adminServer = admin;
    if (adminServer != null) {
      adminServer.close();
    }
    HttpServer portalListener = portalServer;
    if (portalListener != null) {
      portalListener.close();
    }
    forwarder.close();
    alerts.close();
    operators.close();
    portal.close();
    if (recorder != null) {
      recorder.close();
    }
    retention.close();
    // after the data plane stopped: every request counted is in the minutes written now
    usageFlusher.close();
    if (redis != null) {
      redis.close(); // before the event loops stop: a link closed later would try to reconnect
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("event loops did not stop cleanly: {}", e.getMessage());
    }
    metrics.close();
    store.close();
  }
}
