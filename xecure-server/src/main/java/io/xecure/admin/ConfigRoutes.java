package io.xecure.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.problem.ProblemCode;
import io.xecure.service.ConfigRejectedException;
import io.xecure.service.ConfigService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runtime changes: {@code PUT/DELETE /admin/apis/{name}} and {@code PUT /admin/plans/{name}}. The
 * body is one API or plan in the configuration file's shape, as JSON (what the GETs answer); the
 * service validates it as the file is validated, and every problem comes back in one 422 whose
 * {@code errors} name the fields by their path in the body ({@code cors.origins[0]}). A PUT that
 * creates answers 201 with a {@code Location}, one that replaces answers 200.
 */
final class ConfigRoutes {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final ConfigService configs;

  ConfigRoutes(ConfigService configs) {
    this.configs = configs;
  }

  void register(Routes routes) {
    routes.put("/admin/apis/{name}", this::putApi);
    routes.delete("/admin/apis/{name}", this::deleteApi);
    routes.put("/admin/plans/{name}", this::putPlan);
  }

  private void putApi(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    saved(
        ctx,
        configs.putApi(AdminApi.actor(ctx), name, body(ctx)),
        "/admin/apis/",
        put -> AdminJson.api(put.config()));
  }

  private void deleteApi(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Replies.reply(
        ctx,
        configs.deleteApi(AdminApi.actor(ctx), name),
        200,
        api -> new JsonObject().put("name", name).put("deleted", true));
  }

  private void putPlan(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    saved(
        ctx,
        configs.putPlan(AdminApi.actor(ctx), name, body(ctx)),
        "/admin/plans/",
        put -> AdminJson.plan(name, put.config()));
  }

  private static <T> void saved(
      RoutingContext ctx,
      Future<ConfigService.Put<T>> result,
      String collection,
      Function<ConfigService.Put<T>, JsonObject> view) {
    result.onComplete(
        r -> {
          if (r.succeeded() && r.result().created()) {
            Replies.created(ctx, result, put -> collection + put.name(), view);
          } else {
            Replies.reply(ctx, result, 200, view);
          }
        });
  }

  /** The request's JSON object; unreadable JSON is 400, another media type 415. */
  private static JsonNode body(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw RequestException.invalid("body", "is required: one API or plan as a JSON object");
    }
    if (!JsonBody.isJson(ctx.request().getHeader("content-type"))) {
      throw new RequestException(
          ProblemCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body.getBytes());
    } catch (JsonProcessingException e) {
      throw new RequestException(
          ProblemCode.BAD_REQUEST, "the body is not valid JSON (or repeats a field)");
    } catch (IOException e) {
      throw new RequestException(ProblemCode.BAD_REQUEST, "the body could not be read");
    }
    if (tree == null || !tree.isObject()) {
      throw RequestException.invalid("body", "must be a JSON object");
    }
    return tree;
  }

  /** The service's problems ({@code "<path>: <message>"}) as one 422 naming each field. */
  static RequestException invalid(ConfigRejectedException rejected) {
    List<FieldError> errors = new ArrayList<>();
    for (String problem : rejected.problems()) {
      int colon = problem.indexOf(": ");
      String field = colon < 0 ? "body" : problem.substring(0, colon);
      String message = colon < 0 ? problem : problem.substring(colon + 2);
      errors.add(new FieldError(field.equals("(root)") ? "body" : field, message));
    }
    return RequestException.invalid(errors);
  }
}
