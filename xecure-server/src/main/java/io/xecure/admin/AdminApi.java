package io.xecure.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.xecure.alerts.AlertService;
import io.xecure.cluster.NodeDirectory;
import io.xecure.problem.ProblemCode;
import io.xecure.problem.ProblemJson;
import io.xecure.service.ConfigService;
import io.xecure.service.DeveloperService;
import io.xecure.service.EventService;
import io.xecure.service.Ids;
import io.xecure.service.KeyService;
import io.xecure.service.UsageService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The admin HTTP API of SPEC §6 as a vertx-web {@link Router}: developers, keys, bulk import, APIs
 * and plans (read, and changed at run time), recent events, usage series, alerts, {@code /health},
 * {@code /metrics} and the OpenAPI document. Every {@code /admin/*} call needs {@code
 * Authorization: Bearer <token>}; {@code /metrics} needs one as {@link MetricsEndpoint} says; every
 * response carries an {@code X-Request-Id}; every error is problem+json.
 */
public final class AdminApi {
  /** Bodies of ordinary calls: far above any valid request, low enough to refuse junk early. */
  public static final long JSON_BODY_LIMIT = 1L << 20;

  /** Bulk import bodies: a million keys of up to 60 characters, one a line. */
  public static final long BULK_BODY_LIMIT = 64L << 20;

  static final String ACTOR = "admin";
  private static final String REQUEST_ID = "xecure.requestId";
  private static final String BEARER_CHALLENGE = "Bearer realm=\"xecure-admin\"";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final DeveloperService developers;
  private final KeyService keys;
  private final EventService events;
  private final ConfigService configs;
  private final UsageService usage;
  private final AlertService alerts;
  private final NodeDirectory nodes;
  private final BooleanSupplier ready;
  private final byte[] tokenDigest;
  private final MetricsEndpoint metrics;
  private final List<byte[]> metricsDigests;
  private final Clock clock;
  private final Buffer openapi;
  private final List<Endpoint> served = new ArrayList<>();

  /**
   * @param configs the APIs and plans in force, and their runtime changes; a key may only name one
   *     of its plans
   * @param usage usage series ({@code GET /admin/usage})
   * @param alerts the alerts listed and acknowledged
   * @param nodes the gateway nodes sharing the database ({@code GET /admin/nodes})
   * @param ready whether the key index is loaded; {@code /health} answers 503 until it is
   * @param token the admin token; must not be blank
   * @param metrics what {@code GET /metrics} serves, and to whom
   */
  public AdminApi(
      Vertx vertx,
      DeveloperService developers,
      KeyService keys,
      EventService events,
      ConfigService configs,
      UsageService usage,
      AlertService alerts,
      NodeDirectory nodes,
      BooleanSupplier ready,
      String token,
      MetricsEndpoint metrics) {
    if (token.isBlank()) {
      throw new IllegalArgumentException("the admin token must not be blank");
    }
    this.vertx = vertx;
    this.developers = developers;
    this.keys = keys;
    this.events = events;
    this.configs = configs;
    this.usage = usage;
    this.alerts = alerts;
    this.nodes = nodes;
    this.ready = ready;
    this.tokenDigest = sha256(token);
    this.metrics = metrics;
    String metricsToken = metrics.token();
    this.metricsDigests =
        metricsToken == null ? List.of(tokenDigest) : List.of(sha256(metricsToken), tokenDigest);
    this.clock = keys.clock();
    this.openapi = loadOpenApi();
  }

  /** A new router serving the admin API; mount it on the admin port's HTTP server. */
  public Router router() {
    Router router = Router.router(vertx);
    served.clear();
    Routes routes = new Routes(router, served, JSON_BODY_LIMIT, BULK_BODY_LIMIT);
    Failures failures = new Failures(JSON_BODY_LIMIT, BULK_BODY_LIMIT);
    router.route().handler(this::begin);
    routes.get("/health", this::health);
    routes.get("/metrics", this::metrics);
    routes.get("/admin/openapi.json", this::openapi);
    router.route("/admin/*").handler(this::authenticate);
    new DeveloperRoutes(developers).register(routes);
    new KeyRoutes(vertx, keys, configs::plans, clock).register(routes);
    new CatalogRoutes(configs::apis, configs::plans).register(routes);
    new EventRoutes(events).register(routes);
    new ConfigRoutes(configs).register(routes);
    new UsageRoutes(usage, clock).register(routes);
    new AlertRoutes(alerts).register(routes);
    new NodeRoutes(nodes).register(routes);
    router.route().failureHandler(failures::handle);
    router.errorHandler(404, ctx -> failures.byStatus(ctx, 404));
    router.errorHandler(405, this::methodNotAllowed);
    router.errorHandler(500, failures::handle);
    return router;
  }

  /** Every method and path {@link #router()} serves, in OpenAPI form. */
  public List<Endpoint> endpoints() {
    return List.copyOf(served);
  }

  /** The id of this admin request, as sent in {@code X-Request-Id} and every problem. */
  static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    return id == null ? "unknown" : id;
  }

  private void begin(RoutingContext ctx) {
    String id = Ids.request(clock);
    ctx.put(REQUEST_ID, id);
    HttpServerResponse response = ctx.response();
    response.putHeader("x-request-id", id).putHeader("cache-control", "no-store");
    // the shared problem writer challenges for API keys; the admin API wants its bearer token
    response.headersEndHandler(
        v -> {
          if (response.getStatusCode() == 401) {
            response.headers().set("www-authenticate", BEARER_CHALLENGE);
          }
        });
    ctx.next();
  }

  private void authenticate(RoutingContext ctx) {
    if (presents(ctx, List.of(tokenDigest))) {
      ctx.next();
      return;
    }
    unauthorized(ctx, "admin token");
  }

  /** Whether the request's bearer token is one of {@code digests} (SHA-256 of each token). */
  private static boolean presents(RoutingContext ctx, List<byte[]> digests) {
    String header = ctx.request().getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = sha256(header.substring(7).trim());
    boolean match = false;
    for (byte[] digest : digests) {
      // every digest compared, in constant time: the answer shows nothing of which one failed
      match |= MessageDigest.isEqual(presented, digest);
    }
    return match;
  }

  private static void unauthorized(RoutingContext ctx, String tokenName) {
    String detail =
        ctx.request().getHeader("authorization") == null
            ? "send Authorization: Bearer <" + tokenName + ">"
            : "the " + tokenName + " is wrong";
    ProblemJson.send(ctx.response(), ProblemCode.UNAUTHORIZED, detail, requestId(ctx));
  }

  /**
   * {@code GET /metrics} in the Prometheus text format. The scrape walks every meter, so it runs on
   * a worker rather than on an event loop that serves requests.
   */
  private void metrics(RoutingContext ctx) {
    if (metrics.tokenRequired() && !presents(ctx, metricsDigests)) {
      unauthorized(ctx, metrics.token() == null ? "admin token" : "metrics token");
      return;
    }
    vertx
        .executeBlocking(metrics.scrape()::get, false)
        .onComplete(
            scraped -> {
              if (scraped.failed()) {
                ctx.fail(scraped.cause());
              } else if (!ctx.response().ended()) {
                ctx.response().putHeader("content-type", PROMETHEUS_TEXT).end(scraped.result());
              }
            });
  }

  private void health(RoutingContext ctx) {
    boolean up = ready.getAsBoolean();
    Replies.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "ok" : "starting"));
  }

  private void openapi(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(openapi);
  }

  private void methodNotAllowed(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String allow =
        served.stream()
            .filter(e -> e.matchesPath(path))
            .map(Endpoint::method)
            .distinct()
            .collect(Collectors.joining(", "));
    if (!allow.isEmpty()) {
      ctx.response().putHeader("allow", allow);
    }
    ProblemJson.send(
        ctx.response(),
        ProblemCode.METHOD_NOT_ALLOWED,
        ctx.request().method().name() + " is not allowed on this path",
        requestId(ctx));
  }

  /** Hashing both sides first makes the comparison constant-time whatever the lengths. */
  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static Buffer loadOpenApi() {
    try (InputStream in =
        Objects.requireNonNull(
            AdminApi.class.getResourceAsStream("/openapi.json"), "openapi.json missing")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
