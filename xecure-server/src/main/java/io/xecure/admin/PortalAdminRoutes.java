package io.xecure.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.config.ApiConfig;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.portal.PortalService;
import io.xecure.problem.ProblemCode;
import io.xecure.store.PortalStore.Allowance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The developer portal, as operators drive it: invite a developer ({@code POST
 * /admin/developers/{id}/invitations}, a single-use link that expires) and set what it may create
 * there ({@code GET|PUT /admin/developers/{id}/allowance}). Without a portal service (a fixture
 * without one) each answers 409.
 */
final class PortalAdminRoutes {
  static final int MAX_KEYS = 100;
  private static final Set<String> INVITE_FIELDS = Set.of("expires_in");
  private static final Set<String> ALLOWANCE_FIELDS = Set.of("apis", "scopes", "max_keys", "plan");

  private final @Nullable PortalService portal;
  private final Supplier<List<ApiConfig>> apis;
  private final Supplier<Map<String, PlanConfig>> plans;

  PortalAdminRoutes(
      @Nullable PortalService portal,
      Supplier<List<ApiConfig>> apis,
      Supplier<Map<String, PlanConfig>> plans) {
    this.portal = portal;
    this.apis = apis;
    this.plans = plans;
  }

  void register(Routes routes) {
    routes.post("/admin/developers/{id}/invitations", this::invite);
    routes.get("/admin/developers/{id}/allowance", this::getAllowance);
    routes.put("/admin/developers/{id}/allowance", this::putAllowance);
  }

  private PortalService portal() {
    PortalService p = portal;
    if (p == null) {
      throw new RequestException(ProblemCode.CONFLICT, "this gateway has no developer portal");
    }
    return p;
  }

  private void invite(RoutingContext ctx) {
    PortalService p = portal();
    JsonBody body = JsonBody.read(ctx, INVITE_FIELDS);
    String text = body.string("expires_in", 32);
    Duration parsed = text == null ? PortalService.INVITATION_TTL : Durations.parse(text);
    Duration ttl = parsed == null ? PortalService.INVITATION_TTL : parsed;
    if (parsed == null
        || ttl.compareTo(Duration.ofMinutes(1)) < 0
        || ttl.compareTo(PortalService.MAX_INVITATION_TTL) > 0) {
      body.error("expires_in", "must be a duration from 1m to 30d, e.g. 72h");
    }
    body.check();
    String base = p.url();
    if (base == null) {
      throw new RequestException(
          ProblemCode.CONFLICT,
          "the developer portal is not configured (portal: {port, bind} in the configuration)");
    }
    Replies.reply(
        ctx,
        p.invite(AdminApi.actor(ctx), ctx.pathParam("id"), ttl),
        201,
        invited ->
            new JsonObject()
                .put("id", invited.invitation().id())
                .put("developer_id", invited.invitation().developerId())
                .put("url", base + "/invite/" + invited.token())
                .put("created_at", AdminJson.time(invited.invitation().createdAt()))
                .put("expires_at", AdminJson.time(invited.invitation().expiresAt())));
  }

  private void getAllowance(RoutingContext ctx) {
    Replies.reply(ctx, portal().allowance(ctx.pathParam("id")), 200, PortalAdminRoutes::view);
  }

  private void putAllowance(RoutingContext ctx) {
    PortalService p = portal();
    JsonBody body = JsonBody.read(ctx, ALLOWANCE_FIELDS);
    List<String> apiNames = body.tokens("apis", KeyRoutes.MAX_API);
    List<String> scopes = body.tokens("scopes", KeyRoutes.MAX_SCOPE);
    String plan = body.string("plan", 64);
    JsonObject raw = ctx.body().asJsonObject();
    Object max = raw == null ? null : raw.getValue("max_keys");
    int maxKeys = 0;
    if (max instanceof Integer i && i >= 0 && i <= MAX_KEYS) {
      maxKeys = i;
    } else {
      body.error("max_keys", "is required, an integer from 0 to " + MAX_KEYS);
    }
    if (apiNames == null) {
      body.error("apis", "is required: the APIs the developer may create keys for");
    } else {
      for (String name : apiNames) {
        if (apis.get().stream().noneMatch(a -> a.name().equals(name))) {
          body.error("apis", "no API named " + name);
        }
      }
    }
    if (plan != null && !plans.get().containsKey(plan)) {
      body.error("plan", "no plan named " + plan);
    }
    body.check();
    Allowance allowance =
        new Allowance(
            apiNames == null ? List.of() : apiNames,
            scopes == null ? List.of() : scopes,
            maxKeys,
            plan);
    Replies.reply(
        ctx,
        p.setAllowance(AdminApi.actor(ctx), ctx.pathParam("id"), allowance),
        200,
        PortalAdminRoutes::view);
  }

  private static JsonObject view(Allowance a) {
    return new JsonObject()
        .put("apis", new JsonArray(a.apis()))
        .put("scopes", new JsonArray(a.scopes()))
        .put("max_keys", a.maxKeys())
        .put("plan", a.plan());
  }
}
