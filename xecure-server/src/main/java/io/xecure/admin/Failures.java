package io.xecure.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.xecure.problem.ProblemCode;
import io.xecure.problem.ProblemJson;
import io.xecure.service.ConfigRejectedException;
import io.xecure.service.ServiceException;
import io.xecure.store.StoreUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every admin failure into problem+json with the request id: request and service refusals
 * with their own code, a store outage as 503, vertx-web's status-only failures (413 from the body
 * handler) by status, and anything else as a 500 whose cause is logged, never sent.
 */
final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private final long jsonLimit;
  private final long bulkLimit;

  Failures(long jsonLimit, long bulkLimit) {
    this.jsonLimit = jsonLimit;
    this.bulkLimit = bulkLimit;
  }

  void handle(RoutingContext ctx) {
    String requestId = AdminApi.requestId(ctx);
    Throwable failure = ctx.failure();
    if (failure instanceof RequestException r) {
      ProblemJson.send(ctx.response(), r.code(), r.detail(), requestId, r.extra());
    } else if (failure instanceof ConfigRejectedException c) {
      RequestException r = ConfigRoutes.invalid(c);
      ProblemJson.send(ctx.response(), r.code(), r.detail(), requestId, r.extra());
    } else if (failure instanceof ServiceException s) {
      ProblemJson.send(ctx.response(), s.code(), s.detail(), requestId);
    } else if (failure instanceof StoreUnavailableException) {
      LOG.warn("admin request {}: store unavailable", requestId);
      send(ctx, ProblemCode.STORE_UNAVAILABLE, "the store is unavailable; retry later");
    } else if (failure instanceof HttpException h && h.getStatusCode() != 500) {
      byStatus(ctx, h.getStatusCode());
    } else if (failure == null && ctx.statusCode() != 500) {
      byStatus(ctx, ctx.statusCode());
    } else {
      LOG.error("admin request {} failed", requestId, failure);
      send(
          ctx,
          ProblemCode.INTERNAL_ERROR,
          "unexpected error; the log has it under request " + requestId);
    }
  }

  void byStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 400 -> send(ctx, ProblemCode.BAD_REQUEST, "the request could not be read");
      case 401 -> send(ctx, ProblemCode.UNAUTHORIZED, "send Authorization: Bearer <admin token>");
      case 404 -> send(ctx, ProblemCode.NOT_FOUND, "no such resource");
      case 405 -> send(ctx, ProblemCode.METHOD_NOT_ALLOWED, "method not allowed on this path");
      case 413 -> send(ctx, ProblemCode.BODY_TOO_LARGE, tooLarge(ctx));
      case 415 -> send(ctx, ProblemCode.UNSUPPORTED_MEDIA_TYPE, "unsupported media type");
      default -> {
        LOG.error("admin request {} failed with status {}", AdminApi.requestId(ctx), status);
        send(ctx, ProblemCode.INTERNAL_ERROR, "unexpected error");
      }
    }
  }

  private String tooLarge(RoutingContext ctx) {
    long limit = ctx.normalizedPath().endsWith("/import") ? bulkLimit : jsonLimit;
    return "the body is larger than " + limit + " bytes";
  }

  private static void send(RoutingContext ctx, ProblemCode code, String detail) {
    send(ctx, code, detail, null);
  }

  private static void send(
      RoutingContext ctx, ProblemCode code, String detail, @Nullable JsonObject extra) {
    ProblemJson.send(ctx.response(), code, detail, AdminApi.requestId(ctx), extra);
  }
}
