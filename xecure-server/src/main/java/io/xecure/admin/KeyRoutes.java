package io.xecure.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.xecure.keys.KeyFormat;
import io.xecure.model.KeyStatus;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.service.KeyPatch;
import io.xecure.service.KeyPatch.Change;
import io.xecure.service.KeyService;
import io.xecure.service.KeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Key endpoints: issue or import one, bulk import, list, read, change rights, revoke, rotate, and
 * the leak report. Request values are checked here with their field names; the service trusts them.
 */
final class KeyRoutes {
  static final int MAX_NAME = 200;
  static final int MAX_API = 100;
  static final int MAX_SCOPE = 200;
  static final Duration DEFAULT_GRACE = Duration.ofHours(24);
  static final Duration MAX_GRACE = Duration.ofDays(30);
  private static final Set<String> ISSUE_FIELDS =
      Set.of("name", "apis", "scopes", "expires_at", "allowed_cidrs", "plan", "key");
  private static final Set<String> PATCH_FIELDS =
      Set.of("name", "apis", "scopes", "expires_at", "allowed_cidrs", "plan");

  private final Vertx vertx;
  private final KeyService keys;
  private final Supplier<Map<String, PlanConfig>> plans;
  private final Clock clock;

  KeyRoutes(Vertx vertx, KeyService keys, Supplier<Map<String, PlanConfig>> plans, Clock clock) {
    this.vertx = vertx;
    this.keys = keys;
    this.plans = plans;
    this.clock = clock;
  }

  void register(Routes routes) {
    routes.post("/admin/developers/{id}/keys", this::issue);
    routes.postBulk("/admin/developers/{id}/keys/import", this::importBulk);
    routes.get("/admin/keys", this::list);
    routes.post("/admin/keys/leaked", this::leaked);
    routes.get("/admin/keys/{id}", this::get);
    routes.patch("/admin/keys/{id}", this::patch);
    routes.post("/admin/keys/{id}/revoke", this::revoke);
    routes.post("/admin/keys/{id}/rotate", this::rotate);
  }

  private void issue(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, ISSUE_FIELDS);
    KeySpec spec = spec(body);
    String plaintext = body.string("key", KeyFormat.MAX_KEY_LENGTH);
    if (plaintext != null) {
      String problem = KeyService.importProblem(keys.format(), plaintext);
      if (problem != null) {
        body.error("key", problem);
      }
    }
    body.check();
    String developer = ctx.pathParam("id");
    Replies.created(
        ctx,
        plaintext == null
            ? keys.issue(AdminApi.actor(ctx), developer, spec)
            : keys.importKey(AdminApi.actor(ctx), developer, spec, plaintext),
        issued -> "/admin/keys/" + issued.key().id(),
        issued -> AdminJson.issued(issued, clock.instant()));
  }

  private void importBulk(RoutingContext ctx) {
    KeySpec rights = BulkRequest.rights(ctx, plans.get());
    // splitting tens of megabytes is worker work, not event-loop work
    Future<List<String>> lines = vertx.executeBlocking(() -> BulkRequest.lines(ctx), false);
    Replies.reply(
        ctx,
        lines.compose(l -> keys.importKeys(AdminApi.actor(ctx), ctx.pathParam("id"), rights, l)),
        200,
        AdminJson::importResult);
  }

  private void list(RoutingContext ctx) {
    String developer = Query.param(ctx, "developer");
    KeyStatus status = Query.keyStatus(ctx);
    int limit = Query.limit(ctx);
    String cursor = Query.cursor(ctx);
    Instant now = clock.instant();
    Replies.reply(
        ctx,
        keys.list(developer, status, limit, cursor),
        200,
        page -> AdminJson.page(page, k -> AdminJson.key(k, now)));
  }

  private void get(RoutingContext ctx) {
    Replies.reply(ctx, keys.get(ctx.pathParam("id")), 200, k -> AdminJson.key(k, clock.instant()));
  }

  private void patch(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, PATCH_FIELDS);
    for (String field : List.of("name", "apis", "scopes", "allowed_cidrs")) {
      if (body.isNull(field)) {
        body.error(field, "must not be null");
      }
    }
    KeyPatch patch =
        new KeyPatch(
            body.string("name", MAX_NAME),
            body.tokens("apis", MAX_API),
            body.tokens("scopes", MAX_SCOPE),
            body.cidrs("allowed_cidrs"),
            body.has("expires_at") ? new Change<>(body.instant("expires_at")) : null,
            body.has("plan") ? new Change<>(plan(body)) : null);
    body.check();
    Replies.reply(
        ctx,
        keys.patch(AdminApi.actor(ctx), ctx.pathParam("id"), patch),
        200,
        k -> AdminJson.key(k, clock.instant()));
  }

  private void revoke(RoutingContext ctx) {
    Replies.reply(
        ctx,
        keys.revoke(AdminApi.actor(ctx), ctx.pathParam("id")),
        200,
        k -> AdminJson.key(k, clock.instant()));
  }

  private void rotate(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("grace"));
    Duration grace = grace(body);
    body.check();
    Replies.created(
        ctx,
        keys.rotate(AdminApi.actor(ctx), ctx.pathParam("id"), grace),
        issued -> "/admin/keys/" + issued.key().id(),
        issued -> AdminJson.issued(issued, clock.instant()));
  }

  private void leaked(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, Set.of("key"));
    String plaintext = body.required("key", 4096);
    body.check();
    Replies.reply(
        ctx,
        keys.reportLeaked(AdminApi.actor(ctx), plaintext),
        200,
        k -> AdminJson.key(k, clock.instant()));
  }

  private KeySpec spec(JsonBody body) {
    String name = body.required("name", MAX_NAME);
    if (!body.has("apis") || body.isNull("apis")) {
      body.error("apis", "is required (API names, or [\"*\"] for all)");
    }
    List<String> apis = body.tokens("apis", MAX_API);
    List<String> scopes = body.tokens("scopes", MAX_SCOPE);
    List<String> cidrs = body.cidrs("allowed_cidrs");
    Instant expires = body.instant("expires_at");
    if (expires != null && !expires.isAfter(clock.instant())) {
      body.error("expires_at", "must be in the future");
    }
    return new KeySpec(
        name,
        apis == null ? List.of() : apis,
        scopes == null ? List.of() : scopes,
        cidrs == null ? List.of() : cidrs,
        expires,
        plan(body));
  }

  private @Nullable String plan(JsonBody body) {
    String plan = body.string("plan", MAX_NAME);
    if (plan != null && !plans.get().containsKey(plan)) {
      body.error("plan", "unknown plan");
    }
    return plan;
  }

  private static Duration grace(JsonBody body) {
    String text = body.string("grace", 32);
    if (text == null) {
      return DEFAULT_GRACE;
    }
    Duration grace = Durations.parse(text);
    if (grace == null || grace.compareTo(MAX_GRACE) > 0) {
      body.error("grace", "must be a duration from 0 to 30d, e.g. 0, 30m, 24h or 7d");
      return Duration.ZERO;
    }
    return grace;
  }
}
