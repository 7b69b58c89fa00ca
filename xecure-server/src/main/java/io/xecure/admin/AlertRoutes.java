package io.xecure.admin;

import io.vertx.ext.web.RoutingContext;
import io.xecure.alerts.AlertJson;
import io.xecure.alerts.AlertService;
import io.xecure.model.Alert;
import io.xecure.model.AlertType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Alerts: list (newest first), read one, acknowledge. */
final class AlertRoutes {
  private final AlertService alerts;

  AlertRoutes(AlertService alerts) {
    this.alerts = alerts;
  }

  void register(Routes routes) {
    routes.get("/admin/alerts", this::list);
    routes.get("/admin/alerts/{id}", this::get);
    routes.post("/admin/alerts/{id}/ack", this::ack);
  }

  private void list(RoutingContext ctx) {
    Alert.Status status = status(ctx);
    AlertType type = type(ctx);
    int limit = Query.limit(ctx);
    String cursor = Query.cursor(ctx);
    Replies.reply(
        ctx, alerts.list(status, type, limit, cursor), 200, p -> AdminJson.page(p, AlertJson::of));
  }

  private void get(RoutingContext ctx) {
    Replies.reply(ctx, alerts.get(ctx.pathParam("id")), 200, AlertJson::of);
  }

  private void ack(RoutingContext ctx) {
    JsonBody.read(ctx, Set.of()).check();
    Replies.reply(
        ctx, alerts.acknowledge(AdminApi.actor(ctx), ctx.pathParam("id")), 200, AlertJson::of);
  }

  private static Alert.@Nullable Status status(RoutingContext ctx) {
    String text = Query.param(ctx, "status");
    if (text == null) {
      return null;
    }
    Alert.Status status = Alert.Status.of(text.toLowerCase(Locale.ROOT));
    if (status == null) {
      throw RequestException.invalid("status", "must be open or acknowledged");
    }
    return status;
  }

  private static @Nullable AlertType type(RoutingContext ctx) {
    String text = Query.param(ctx, "type");
    if (text == null) {
      return null;
    }
    AlertType type = AlertType.of(text.toLowerCase(Locale.ROOT));
    if (type == null) {
      String all =
          Arrays.stream(AlertType.values()).map(AlertType::wire).collect(Collectors.joining(", "));
      throw RequestException.invalid("type", "must be one of " + all);
    }
    return type;
  }
}
