package io.xecure.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.xecure.alerts.AlertService;
import io.xecure.cluster.NodeDirectory;
import io.xecure.console.ConsolePages;
import io.xecure.model.OperatorRole;
import io.xecure.operators.OperatorService;
import io.xecure.operators.Principal;
import io.xecure.portal.PortalService;
import io.xecure.problem.ProblemCode;
import io.xecure.problem.ProblemJson;
import io.xecure.service.ConfigService;
import io.xecure.service.DeveloperService;
import io.xecure.service.EventService;
import io.xecure.service.Ids;
import io.xecure.service.KeyService;
import io.xecure.service.UsageService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The admin HTTP API of SPEC §6 as a vertx-web {@link Router}: developers, keys, bulk import, APIs
 * and plans (read, and changed at run time), recent events, usage series, alerts, operators and
 * their sessions, {@code /health}, {@code /metrics}, the OpenAPI document, and the console's pages
 * ({@link ConsolePages}, at {@code /}).
 *
 * <p>Every {@code /admin/*} call but sign-in needs a principal: {@code Authorization: Bearer} with
 * the admin token (the bootstrap owner), an operator's personal token or session token, or the
 * session cookie of a sign-in together with its CSRF token on every change. The principal's role
 * must cover what {@link Permissions} asks of the call (else 403), and every change it makes is
 * recorded with its {@link Principal#actor()}. {@code /metrics} needs a token as {@link
 * MetricsEndpoint} says; every response carries an {@code X-Request-Id}; every error is
 * problem+json.
 */
public final class AdminApi {
  /** Bodies of ordinary calls: far above any valid request, low enough to refuse junk early. */
  public static final long JSON_BODY_LIMIT = 1L << 20;

  /** Bulk import bodies: a million keys of up to 60 characters, one a line. */
  public static final long BULK_BODY_LIMIT = 64L << 20;

  private static final String REQUEST_ID = "xecure.requestId";
  private static final String PRINCIPAL = "xecure.principal";
  private static final String CSRF = "xecure.csrf";
  private static final String BEARER_CHALLENGE = "Bearer realm=\"xecure-admin\"";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final DeveloperService developers;
  private final KeyService keys;
  private final EventService events;
  private final ConfigService configs;
  private final UsageService usage;
  private final AlertService alerts;
  private final OperatorService operators;
  private final NodeDirectory nodes;
  private final BooleanSupplier ready;
  private final byte[] tokenDigest;
  private final MetricsEndpoint metrics;
  private final List<byte[]> metricsDigests;
  private final Clock clock;
  private final Buffer openapi;
  private final @Nullable PortalService portal;
  private final ConsolePages console = new ConsolePages();
  private final List<Endpoint> served = new ArrayList<>();

  /**
   * @param configs the APIs and plans in force, and their runtime changes; a key may only name one
   *     of its plans
   * @param usage usage series ({@code GET /admin/usage})
   * @param alerts the alerts listed and acknowledged
   * @param operators operator accounts, their tokens and sessions
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
      OperatorService operators,
      NodeDirectory nodes,
      BooleanSupplier ready,
      String token,
      MetricsEndpoint metrics) {
    this(
        vertx,
        developers,
        keys,
        events,
        configs,
        usage,
        alerts,
        operators,
        nodes,
        ready,
        token,
        metrics,
        null);
  }

  /**
   * As above, with the developer portal's invitations and allowances ({@code null}: every portal
   * route answers 409).
   */
  public AdminApi(
      Vertx vertx,
      DeveloperService developers,
      KeyService keys,
      EventService events,
      ConfigService configs,
      UsageService usage,
      AlertService alerts,
      OperatorService operators,
      NodeDirectory nodes,
      BooleanSupplier ready,
      String token,
      MetricsEndpoint metrics,
      @Nullable PortalService portal) {
    this.portal = portal;
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
    this.operators = operators;
    this.nodes = nodes;
    this.ready = ready;
    this.tokenDigest = sha256(token);
    this.metrics = metrics;
    String metricsToken = metrics.token();
    this.metricsDigests =
        metricsToken == null ? List.of(tokenDigest) : List.of(sha256(metricsToken), tokenDigest);
    this.clock = keys.clock();
    this.openapi = Buffer.buffer(OpenApiDocument.bytes());
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
    console.mount(router);
    SessionRoutes sessions = new SessionRoutes(operators);
    sessions.registerSignIn(routes);
    router.route("/admin/*").handler(this::authenticate);
    sessions.register(routes);
    new OperatorRoutes(operators).register(routes);
    new DeveloperRoutes(developers).register(routes);
    new PortalAdminRoutes(portal, configs::apis, configs::plans).register(routes);
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

  /** Who this admin request acts as; set for every route behind authentication. */
  static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(PRINCIPAL);
    if (p == null) {
      throw new IllegalStateException("no principal: the route is not behind authentication");
    }
    return p;
  }

  /** What admin events record as having made the change this request asks for. */
  static String actor(RoutingContext ctx) {
    return principal(ctx).actor();
  }

  /** The CSRF token of the request's session, when it presented one; else null. */
  static @Nullable String csrf(RoutingContext ctx) {
    return ctx.get(CSRF);
  }

  /**
   * The bearer token first (admin token in memory; an operator's token or session through the
   * store, on a worker), else the session cookie, which needs its CSRF token on every change: a
   * cookie is sent by the browser on its own, a header only by the page that read the token.
   */
  private void authenticate(RoutingContext ctx) {
    String bearer = bearer(ctx);
    if (bearer != null) {
      if (MessageDigest.isEqual(sha256(bearer), tokenDigest)) {
        admit(ctx, Principal.BOOTSTRAP);
        return;
      }
      ctx.request().pause(); // the body handler after this look-up must still see the body
      operators
          .authenticate(bearer)
          .onComplete(
              r -> {
                if (r.failed()) {
                  ctx.request().resume();
                  ctx.fail(r.cause());
                } else if (r.result().isPresent()) {
                  if (r.result().get().session()) {
                    ctx.put(CSRF, OperatorService.csrfOf(bearer));
                  }
                  admit(ctx, r.result().get());
                } else {
                  ctx.request().resume();
                  unauthorized(ctx, "admin token");
                }
              });
      return;
    }
    var cookie = ctx.request().getCookie(SessionRoutes.COOKIE);
    if (cookie == null || cookie.getValue().isEmpty()) {
      unauthorized(ctx, "admin token");
      return;
    }
    String session = cookie.getValue();
    ctx.request().pause();
    operators
        .authenticate(session)
        .onComplete(
            r -> {
              Optional<Principal> p = r.succeeded() ? r.result() : Optional.empty();
              if (r.failed()) {
                ctx.request().resume();
                ctx.fail(r.cause());
              } else if (p.isEmpty() || !p.get().session()) {
                ctx.request().resume();
                ProblemJson.send(
                    ctx.response(),
                    ProblemCode.UNAUTHORIZED,
                    "the session is over; sign in again",
                    requestId(ctx));
              } else if (!safe(ctx)
                  && !OperatorService.csrfMatches(
                      session, ctx.request().getHeader(SessionRoutes.CSRF_HEADER))) {
                ctx.request().resume();
                ProblemJson.send(
                    ctx.response(),
                    ProblemCode.FORBIDDEN,
                    "send the session's CSRF token in X-CSRF-Token",
                    requestId(ctx));
              } else {
                ctx.put(CSRF, OperatorService.csrfOf(session));
                admit(ctx, p.get());
              }
            });
  }

  /** Whether the route registers a body handler ({@link Routes}: POST, PUT and PATCH). */
  private static boolean takesBody(RoutingContext ctx) {
    String method = ctx.request().method().name();
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private static boolean safe(RoutingContext ctx) {
    String method = ctx.request().method().name();
    return method.equals("GET") || method.equals("HEAD");
  }

  /**
   * Lets the request on to its route when the principal's role covers it; 403 otherwise. A request
   * paused for a look-up is resumed here unless a body handler is next, which resumes it itself.
   */
  private static void admit(RoutingContext ctx, Principal principal) {
    ctx.put(PRINCIPAL, principal);
    OperatorRole required = Permissions.required(ctx.request().method(), ctx.normalizedPath());
    if (principal.role().covers(required)) {
      if (!takesBody(ctx)) {
        ctx.request().resume();
      }
      ctx.next();
      return;
    }
    ctx.request().resume();
    ProblemJson.send(
        ctx.response(),
        ProblemCode.FORBIDDEN,
        "the "
            + principal.role().wire()
            + " role cannot make this call; it needs the "
            + required.wire()
            + " role",
        requestId(ctx));
  }

  private static @Nullable String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
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
}
