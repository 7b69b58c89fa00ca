package io.xecure.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.model.Operator;
import io.xecure.model.OperatorRole;
import io.xecure.model.OperatorToken;
import io.xecure.operators.IssuedToken;
import io.xecure.operators.OperatorPatch;
import io.xecure.operators.OperatorService;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code /admin/operators}: operator accounts (create, list, read, change name, role, disabled or
 * password, delete) and their personal tokens (create, shown once; list; revoke). Who may call
 * which is {@link Permissions}' table: owners change, every role reads.
 */
final class OperatorRoutes {
  static final int MIN_PASSWORD = 12;
  static final int MAX_PASSWORD = 256;
  private static final int MAX_NAME = 200;
  private static final int MAX_EMAIL = 254;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Set<String> FIELDS = Set.of("email", "name", "role", "password");
  private static final Set<String> PATCH_FIELDS = Set.of("name", "role", "disabled", "password");
  private static final Set<String> TOKEN_FIELDS = Set.of("name");

  private final OperatorService operators;

  OperatorRoutes(OperatorService operators) {
    this.operators = operators;
  }

  void register(Routes routes) {
    routes.post("/admin/operators", this::create);
    routes.get("/admin/operators", this::list);
    routes.get("/admin/operators/{id}", this::get);
    routes.patch("/admin/operators/{id}", this::patch);
    routes.delete("/admin/operators/{id}", this::delete);
    routes.post("/admin/operators/{id}/tokens", this::createToken);
    routes.get("/admin/operators/{id}/tokens", this::tokens);
    routes.post("/admin/operators/{id}/tokens/{token_id}/revoke", this::revokeToken);
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, FIELDS);
    String email = body.required("email", MAX_EMAIL);
    if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
      body.error("email", "must be an email address");
    }
    String name = body.required("name", MAX_NAME);
    OperatorRole role = role(body, body.required("role", 20));
    String password = password(body);
    body.check();
    Replies.created(
        ctx,
        operators.create(
            AdminApi.actor(ctx), email, name, role == null ? OperatorRole.AUDITOR : role, password),
        o -> "/admin/operators/" + o.id(),
        OperatorRoutes::view);
  }

  private void list(RoutingContext ctx) {
    int limit = Query.limit(ctx);
    String cursor = Query.cursor(ctx);
    Replies.reply(
        ctx, operators.list(limit, cursor), 200, p -> AdminJson.page(p, OperatorRoutes::view));
  }

  private void get(RoutingContext ctx) {
    Replies.reply(ctx, operators.get(ctx.pathParam("id")), 200, OperatorRoutes::view);
  }

  private void patch(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, PATCH_FIELDS);
    for (String field : PATCH_FIELDS) {
      if (body.isNull(field)) {
        body.error(field, "must not be null");
      }
    }
    String name = body.string("name", MAX_NAME);
    String roleName = body.string("role", 20);
    OperatorRole role = roleName == null ? null : role(body, roleName);
    Boolean disabled = body.bool("disabled");
    String password = password(body);
    body.check();
    Replies.reply(
        ctx,
        operators.update(
            AdminApi.actor(ctx),
            ctx.pathParam("id"),
            new OperatorPatch(name, role, disabled, password)),
        200,
        OperatorRoutes::view);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Replies.reply(
        ctx,
        operators.delete(AdminApi.actor(ctx), id),
        200,
        v -> new JsonObject().put("id", id).put("deleted", true));
  }

  private void createToken(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, TOKEN_FIELDS);
    String name = body.required("name", MAX_NAME);
    body.check();
    String id = ctx.pathParam("id");
    Replies.created(
        ctx,
        operators.createToken(AdminApi.actor(ctx), id, name),
        t -> "/admin/operators/" + id + "/tokens",
        OperatorRoutes::issued);
  }

  private void tokens(RoutingContext ctx) {
    Replies.reply(
        ctx,
        operators.tokens(ctx.pathParam("id")),
        200,
        list -> AdminJson.list(list, OperatorRoutes::token));
  }

  private void revokeToken(RoutingContext ctx) {
    Replies.reply(
        ctx,
        operators.revokeToken(AdminApi.actor(ctx), ctx.pathParam("id"), ctx.pathParam("token_id")),
        200,
        OperatorRoutes::token);
  }

  private static @Nullable OperatorRole role(JsonBody body, String name) {
    if (name.isEmpty()) {
      return null; // already reported as required
    }
    OperatorRole role = OperatorRole.parse(name);
    if (role == null) {
      body.error("role", "must be owner, operator or auditor");
    }
    return role;
  }

  /** An optional password; its value is never part of an error. */
  private static @Nullable String password(JsonBody body) {
    String password = body.string("password", MAX_PASSWORD);
    if (password != null && password.length() < MIN_PASSWORD) {
      body.error("password", "must be at least " + MIN_PASSWORD + " characters");
      return null;
    }
    return password;
  }

  static JsonObject view(Operator o) {
    return new JsonObject()
        .put("id", o.id())
        .put("email", o.email())
        .put("name", o.name())
        .put("role", o.role().wire())
        .put("disabled", o.disabled())
        .put("created_at", AdminJson.time(o.createdAt()));
  }

  static JsonObject token(OperatorToken t) {
    return new JsonObject()
        .put("id", t.id())
        .put("operator_id", t.operatorId())
        .put("name", t.name())
        .put("status", t.revokedAt() == null ? "active" : "revoked")
        .put("created_at", AdminJson.time(t.createdAt()))
        .put("last_used_at", AdminJson.time(t.lastUsedAt()))
        .put("revoked_at", AdminJson.time(t.revokedAt()));
  }

  private static JsonObject issued(IssuedToken issued) {
    return token(issued.token()).put("token", issued.plaintext());
  }
}
