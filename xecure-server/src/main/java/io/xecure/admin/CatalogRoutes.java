package io.xecure.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.config.ApiConfig;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.problem.ProblemCode;
import io.xecure.service.ServiceException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Read-only views of the configured APIs and plans. */
final class CatalogRoutes {
  private final Supplier<List<ApiConfig>> apis;
  private final Supplier<Map<String, PlanConfig>> plans;

  CatalogRoutes(Supplier<List<ApiConfig>> apis, Supplier<Map<String, PlanConfig>> plans) {
    this.apis = apis;
    this.plans = plans;
  }

  void register(Routes routes) {
    routes.get("/admin/apis", this::listApis);
    routes.get("/admin/apis/{name}", this::getApi);
    routes.get("/admin/plans", this::listPlans);
    routes.get("/admin/plans/{name}", this::getPlan);
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
}
