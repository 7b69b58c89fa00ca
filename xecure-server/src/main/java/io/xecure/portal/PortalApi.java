package io.xecure.portal;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.xecure.problem.ProblemCode;
import io.xecure.problem.ProblemJson;
import io.xecure.service.ConfigService;
import io.xecure.service.Ids;
import io.xecure.service.KeyService;
import io.xecure.service.ServiceException;
import io.xecure.service.UsageService;
import io.xecure.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The developer portal's listener: its pages ({@link PortalPages}) and its JSON API under {@code
 * /portal/api} (described by {@code /portal/api/openapi.json}).
 *
 * <p>Accepting an invitation and signing in are the only calls without a session. Every other API
 * call needs the session cookie ({@code HttpOnly; SameSite=Strict}, {@code Secure} over TLS), and
 * every change also its CSRF token in {@code X-CSRF-Token}. The developer a call acts for comes
 * from the session only: no id in a URL or body can name another developer, and another developer's
 * key answers exactly as a key that does not exist (404). Every response carries the strict CSP and
 * {@code Cache-Control: no-store}; every error is problem+json with the request id.
 */
public final class PortalApi {
  static final String COOKIE = "xecure_portal";
  static final String CSRF_HEADER = "x-csrf-token";
  static final long BODY_LIMIT = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(PortalApi.class);
  private static final String REQUEST_ID = "xecure.requestId";
  private static final String VISITOR = "xecure.visitor";
  private static final String SESSION_TOKEN = "xecure.sessionToken";
  private static final Set<String> SIGN_IN_FIELDS = Set.of("email", "password");
  private static final Set<String> ACCEPT_FIELDS = Set.of("token", "password");

  private final Vertx vertx;
  private final PortalService portal;
  private final Clock clock;
  private final PortalPages pages = new PortalPages();
  private final PortalRoutes routes;
  private final Buffer openapi;

  /**
   * @param gatewayUrl where developers call the gateway, for the example requests
   */
  public PortalApi(
      Vertx vertx,
      PortalService portal,
      KeyService keys,
      UsageService usage,
      ConfigService configs,
      Supplier<String> gatewayUrl) {
    this.vertx = vertx;
    this.portal = portal;
    this.clock = keys.clock();
    this.routes = new PortalRoutes(portal, keys, usage, configs, gatewayUrl, clock);
    this.openapi = load();
  }

  /** A new router serving the portal; mount it on the portal port's HTTP server. */
  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::begin);
    pages.mount(router);
    router.get("/portal/api/openapi.json").handler(this::openapi);
    router.route("/portal/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.post("/portal/api/invitations/accept").handler(this::accept);
    router.post("/portal/api/session").handler(this::signIn);
    router.route("/portal/api/*").handler(this::authenticate);
    router.get("/portal/api/session").handler(this::whoAmI);
    router.delete("/portal/api/session").handler(this::signOut);
    routes.register(router);
    router.route().failureHandler(this::failure);
    router.errorHandler(404, ctx -> problem(ctx, ProblemCode.NOT_FOUND, "no such page"));
    router.errorHandler(
        405, ctx -> problem(ctx, ProblemCode.METHOD_NOT_ALLOWED, "method not allowed here"));
    router.errorHandler(500, this::failure);
    return router;
  }

  private void begin(RoutingContext ctx) {
    String id = Ids.request(clock);
    ctx.put(REQUEST_ID, id);
    HttpServerResponse response = ctx.response();
    response
        .putHeader("x-request-id", id)
        .putHeader("cache-control", "no-store")
        .putHeader("content-security-policy", PortalPages.CSP)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("x-frame-options", "DENY");
    // problems challenge for API keys; a portal session is not one
    response.headersEndHandler(v -> response.headers().remove("www-authenticate"));
    ctx.next();
  }

  private void accept(RoutingContext ctx) {
    JsonInput body = JsonInput.read(ctx, ACCEPT_FIELDS);
    String token = body.required("token", 100);
    String password = password(body);
    body.check();
    reply(
        ctx,
        portal.accept(token, password),
        200,
        account ->
            new JsonObject()
                .put("email", account.email())
                .put("developer_id", account.developerId()));
  }

  private static String password(JsonInput body) {
    String password = body.required("password", PortalService.MAX_PASSWORD);
    if (!password.isEmpty() && password.length() < PortalService.MIN_PASSWORD) {
      body.error("password", "at least " + PortalService.MIN_PASSWORD + " characters");
    }
    return password;
  }

  private void signIn(RoutingContext ctx) {
    JsonInput body = JsonInput.read(ctx, SIGN_IN_FIELDS);
    String email = body.required("email", 254);
    String password = body.required("password", PortalService.MAX_PASSWORD);
    body.check();
    String client = ctx.request().remoteAddress().hostAddress();
    portal
        .signIn(email, password, client)
        .onComplete(
            r -> {
              if (r.failed()) {
                ctx.fail(r.cause());
                return;
              }
              PortalService.SignedIn in = r.result();
              ctx.response()
                  .addCookie(cookie(ctx, in.token(), PortalService.SESSION_ABSOLUTE.toSeconds()));
              json(
                  ctx,
                  201,
                  new JsonObject()
                      .put("developer", PortalRoutes.developer(in.developer()))
                      .put("csrf_token", in.csrf())
                      .put("expires_at", in.session().expiresAt().toString())
                      .put("idle_timeout_seconds", PortalService.SESSION_IDLE.toSeconds()));
            });
  }

  private static Cookie cookie(RoutingContext ctx, String value, long maxAge) {
    return Cookie.cookie(COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(ctx.request().isSSL())
        .setMaxAge(maxAge);
  }

  /**
   * The session cookie, checked through the store on a worker; a change also needs the session's
   * CSRF token: the browser sends the cookie by itself, the header only a page that read the token.
   */
  private void authenticate(RoutingContext ctx) {
    var cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue().isEmpty()) {
      problem(ctx, ProblemCode.UNAUTHORIZED, "sign in first");
      return;
    }
    String token = cookie.getValue();
    portal
        .authenticate(token)
        .onComplete(
            r -> {
              Optional<PortalService.Visitor> visitor =
                  r.succeeded() ? r.result() : Optional.empty();
              if (r.failed()) {
                ctx.fail(r.cause());
              } else if (visitor.isEmpty()) {
                problem(ctx, ProblemCode.UNAUTHORIZED, "the session is over; sign in again");
              } else if (!safe(ctx)
                  && !PortalService.csrfMatches(token, ctx.request().getHeader(CSRF_HEADER))) {
                problem(
                    ctx, ProblemCode.FORBIDDEN, "send the session's CSRF token in X-CSRF-Token");
              } else {
                ctx.put(VISITOR, visitor.get());
                ctx.put(SESSION_TOKEN, token);
                ctx.next();
              }
            });
  }

  private static boolean safe(RoutingContext ctx) {
    String method = ctx.request().method().name();
    return method.equals("GET") || method.equals("HEAD");
  }

  /** Who this request acts for; set for every route behind authentication. */
  static PortalService.Visitor visitor(RoutingContext ctx) {
    PortalService.Visitor v = ctx.get(VISITOR);
    if (v == null) {
      throw new IllegalStateException("no visitor: the route is not behind authentication");
    }
    return v;
  }

  private void whoAmI(RoutingContext ctx) {
    PortalService.Visitor v = visitor(ctx);
    String token = Objects.requireNonNull(ctx.<String>get(SESSION_TOKEN));
    reply(
        ctx,
        portal.allowance(v.developer().id()),
        200,
        allowance ->
            new JsonObject()
                .put("developer", PortalRoutes.developer(v.developer()))
                .put("allowance", PortalRoutes.allowance(allowance))
                .put("csrf_token", PortalService.csrfOf(token)));
  }

  private void signOut(RoutingContext ctx) {
    PortalService.Visitor v = visitor(ctx);
    portal
        .signOut(v)
        .onComplete(
            r -> {
              if (r.failed()) {
                ctx.fail(r.cause());
                return;
              }
              ctx.response().addCookie(cookie(ctx, "", 0));
              json(ctx, 200, new JsonObject().put("signed_out", true));
            });
  }

  private void openapi(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(openapi);
  }

  static <T> void reply(
      RoutingContext ctx, Future<T> result, int status, Function<T, JsonObject> view) {
    result.onComplete(
        r -> {
          if (r.failed()) {
            ctx.fail(r.cause());
            return;
          }
          JsonObject body;
          try {
            body = view.apply(r.result());
          } catch (RuntimeException e) {
            ctx.fail(e);
            return;
          }
          json(ctx, status, body);
        });
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json")
          .end(body.toBuffer());
    }
  }

  private static void problem(RoutingContext ctx, ProblemCode code, String detail) {
    String id = ctx.get(REQUEST_ID);
    ProblemJson.send(ctx.response(), code, detail, id == null ? "unknown" : id);
  }

  private void failure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    if (cause instanceof ServiceException e) {
      problem(ctx, e.code(), e.detail());
    } else if (cause instanceof StoreUnavailableException) {
      problem(ctx, ProblemCode.STORE_UNAVAILABLE, "the store is unavailable; retry shortly");
    } else if (ctx.statusCode() == 413) {
      problem(ctx, ProblemCode.BODY_TOO_LARGE, "the body is over " + BODY_LIMIT + " bytes");
    } else if (ctx.statusCode() == 404) {
      problem(ctx, ProblemCode.NOT_FOUND, "no such page");
    } else if (ctx.statusCode() == 405) {
      problem(ctx, ProblemCode.METHOD_NOT_ALLOWED, "method not allowed here");
    } else if (ctx.statusCode() == 400) {
      problem(ctx, ProblemCode.BAD_REQUEST, "bad request");
    } else {
      LOG.error("portal request failed", cause);
      problem(ctx, ProblemCode.INTERNAL_ERROR, "internal error");
    }
  }

  private static Buffer load() {
    try (InputStream in =
        Objects.requireNonNull(
            PortalApi.class.getResourceAsStream("/portal/openapi.json"), "openapi.json missing")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
