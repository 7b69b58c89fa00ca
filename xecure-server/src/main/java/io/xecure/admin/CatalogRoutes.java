package io.xecure.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.config.ApiConfig;
import io.xecure.config.PlanConfig;
import io.xecure.problem.ProblemCode;
import io.xecure.service.EventService;
import io.xecure.service.ServiceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Read-only views: the configured APIs and plans, and recent audit events. */
final class CatalogRoutes {
  private final EventService events;
  private final Supplier<List<ApiConfig>> apis;
  private final Supplier<Map<String, PlanConfig>> plans;

  CatalogRoutes(
      EventService events,
      Supplier<List<ApiConfig>> apis,
      Supplier<Map<String, PlanConfig>> plans) {
    this.events = events;
    this.apis = apis;
    this.plans = plans;
  }

  void register(Routes routes) {
    routes.get("/admin/apis", this::listApis);
    routes.get("/admin/apis/{name}", this::getApi);
    routes.get("/admin/plans", this::listPlans);
    routes.get("/admin/plans/{name}", this::getPlan);
    routes.get("/admin/events", this::listEvents);
  }

  private void listApis(RoutingContext ctx) {
    Replies.json(ctx, 200, AdminJson.list(apis.get(), AdminJson::api));
  }

  private void getApi(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ApiConfig api =
        apis.get().stream()
            .filter(a -> a.name().equals(name))
            .findFirst()
            .orElseThrow(() -> ServiceException.notFound("api", name));
    Replies.json(ctx, 200, AdminJson.api(api));
  }

  private void listPlans(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    new TreeMap<>(plans.get()).forEach((name, plan) -> items.add(AdminJson.plan(name, plan)));
    Replies.json(ctx, 200, new JsonObject().put("items", items).put("next_cursor", null));
  }

  private void getPlan(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    PlanConfig plan = plans.get().get(name);
    if (plan == null) {
      throw new ServiceException(ProblemCode.NOT_FOUND, "plan " + name + " not found");
    }
    Replies.json(ctx, 200, AdminJson.plan(name, plan));
  }

  /** Admin changes and data-plane decisions in one list, newest first. */
  private void listEvents(RoutingContext ctx) {
    int limit = Query.limit(ctx);
    Replies.reply(
        ctx,
        events.recent(limit),
        200,
        recent -> {
          List<TimedJson> merged = new ArrayList<>();
          recent.admin().forEach(e -> merged.add(new TimedJson(e.time(), AdminJson.adminEvent(e))));
          recent
              .requests()
              .forEach(e -> merged.add(new TimedJson(e.time(), AdminJson.requestEvent(e))));
          merged.sort(Comparator.comparing(TimedJson::time).reversed());
          JsonArray items = new JsonArray();
          merged.stream().limit(limit).forEach(t -> items.add(t.json()));
          return new JsonObject().put("items", items).put("next_cursor", null);
        });
  }

  private record TimedJson(java.time.Instant time, JsonObject json) {}
}
