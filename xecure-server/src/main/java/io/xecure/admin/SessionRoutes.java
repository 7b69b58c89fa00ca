package io.xecure.admin;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.operators.OperatorService;
import io.xecure.operators.Principal;
import io.xecure.operators.SignedIn;
import io.xecure.problem.ProblemCode;
import java.util.Set;

/**
 * {@code /admin/session}: an operator signs in with email and password ({@code POST}, the one admin
 * call without a token), reads who it is signed in as ({@code GET}), and signs out ({@code
 * DELETE}).
 *
 * <p>A sign-in answers a new session twice: as a bearer token in the body, for scripts, and as an
 * HttpOnly, SameSite=Strict cookie (Secure under TLS) for the console, whose changes must then
 * carry the session's CSRF token in {@code X-CSRF-Token}. The CSRF token is in the sign-in answer
 * and in {@code GET /admin/session}, which a page may call again after a reload.
 */
final class SessionRoutes {
  static final String COOKIE = "xecure_session";
  static final String CSRF_HEADER = "x-csrf-token";
  private static final Set<String> FIELDS = Set.of("email", "password");

  private final OperatorService operators;

  SessionRoutes(OperatorService operators) {
    this.operators = operators;
  }

  /** Sign-in: registered before authentication, as it is how one authenticates. */
  void registerSignIn(Routes routes) {
    routes.post("/admin/session", this::signIn);
  }

  void register(Routes routes) {
    routes.get("/admin/session", this::whoAmI);
    routes.delete("/admin/session", this::signOut);
  }

  private void signIn(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, FIELDS);
    String email = body.required("email", 254);
    String password = body.required("password", OperatorRoutes.MAX_PASSWORD);
    body.check();
    String client = ctx.request().remoteAddress().hostAddress();
    operators
        .signIn(email, password, client)
        .onComplete(
            r -> {
              if (r.failed()) {
                ctx.fail(r.cause());
                return;
              }
              SignedIn in = r.result();
              ctx.response()
                  .addCookie(
                      Cookie.cookie(COOKIE, in.token())
                          .setPath("/")
                          .setHttpOnly(true)
                          .setSameSite(CookieSameSite.STRICT)
                          .setSecure(ctx.request().isSSL())
                          .setMaxAge(OperatorService.SESSION_ABSOLUTE.toSeconds()));
              Replies.json(
                  ctx,
                  201,
                  new JsonObject()
                      .put("operator", OperatorRoutes.view(in.operator()))
                      .put("session_id", in.session().id())
                      .put("token", in.token())
                      .put("csrf_token", in.csrf())
                      .put("expires_at", AdminJson.time(in.session().expiresAt()))
                      .put("idle_timeout_seconds", OperatorService.SESSION_IDLE.toSeconds()));
            });
  }

  private void whoAmI(RoutingContext ctx) {
    Principal p = AdminApi.principal(ctx);
    JsonObject body =
        new JsonObject()
            .put("actor", p.actor())
            .put("role", p.role().wire())
            .put("operator_id", p.operatorId())
            .put("token_id", p.tokenId())
            .put("session", p.session());
    String csrf = AdminApi.csrf(ctx);
    if (csrf != null) {
      body.put("csrf_token", csrf);
    }
    Replies.json(ctx, 200, body);
  }

  private void signOut(RoutingContext ctx) {
    Principal p = AdminApi.principal(ctx);
    if (!p.session()) {
      throw new RequestException(
          ProblemCode.CONFLICT, "not a session: a token is revoked, not signed out");
    }
    operators
        .signOut(p)
        .onComplete(
            r -> {
              if (r.failed()) {
                ctx.fail(r.cause());
                return;
              }
              ctx.response()
                  .addCookie(
                      Cookie.cookie(COOKIE, "")
                          .setPath("/")
                          .setHttpOnly(true)
                          .setSameSite(CookieSameSite.STRICT)
                          .setSecure(ctx.request().isSSL())
                          .setMaxAge(0));
              Replies.json(ctx, 200, new JsonObject().put("signed_out", true));
            });
  }
}
