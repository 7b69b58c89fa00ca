package io.xecure.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** Successful admin responses: JSON, never cached (a response may hold a new key). */
final class Replies {
  private Replies() {}

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return; // the client went away
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.toBuffer());
  }

  /** Answers {@code status} with the view of the result, or fails the context with the cause. */
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
            ctx.fail(e); // still a problem+json answer, never a hung request
            return;
          }
          json(ctx, status, body);
        });
  }

  /** Like {@link #reply} with 201 and a {@code Location} header naming the new resource. */
  static <T> void created(
      RoutingContext ctx,
      Future<T> result,
      Function<T, String> location,
      Function<T, JsonObject> view) {
    reply(
        ctx,
        result.map(
            r -> {
              ctx.response().putHeader("location", location.apply(r));
              return r;
            }),
        201,
        view);
  }
}
