package io.xecure.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The demo's built-in upstream: a small JSON service with two APIs, {@code /users} and {@code
 * /analytics}, that also echoes the identity headers the gateway added, so a demo user can see what
 * the upstream receives.
 */
public final class SampleUpstream {
  private static final JsonArray USERS =
      new JsonArray()
          .add(user(1, "Ada Lovelace", "ada@example.com", "admin"))
          .add(user(2, "Grace Hopper", "grace@example.com", "member"))
          .add(user(3, "Alan Turing", "alan@example.com", "member"))
          .add(user(4, "Katherine Johnson", "katherine@example.com", "viewer"));

  private SampleUpstream() {}

  /** Listens on 127.0.0.1:{@code port} (0 for any free port). */
  public static Future<HttpServer> start(Vertx vertx, int port) {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(SampleUpstream::handle)
        .listen();
  }

  private static JsonObject user(int id, String name, String email, String role) {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("email", email)
        .put("role", role)
        .put("created_at", "2026-0" + id + "-1" + id + "T09:30:00Z");
  }

  private static void handle(HttpServerRequest request) {
    String path = request.path();
    JsonObject body;
    int status = 200;
    if (path.equals("/users") || path.equals("/users/")) {
      body = new JsonObject().put("users", USERS).put("total", USERS.size());
    } else if (path.startsWith("/users/")) {
      body = findUser(path.substring("/users/".length()));
      if (body == null) {
        status = 404;
        body = new JsonObject().put("error", "no such user");
      }
    } else if (path.startsWith("/analytics")) {
      body = analytics();
    } else {
      status = 404;
      body = new JsonObject().put("error", "not found");
    }
    body.put(
        "seen_by_upstream",
        new JsonObject()
            .put("method", request.method().name())
            .put("path", request.uri())
            .put("x_developer_id", request.getHeader("x-developer-id"))
            .put("x_developer_name", request.getHeader("x-developer-name"))
            .put("x_api_key_id", request.getHeader("x-api-key-id"))
            .put("x_request_id", request.getHeader("x-request-id")));
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encodePrettily());
  }

  private static @org.jspecify.annotations.Nullable JsonObject findUser(String id) {
    for (Object o : USERS) {
      JsonObject u = (JsonObject) o;
      if (String.valueOf(u.getInteger("id")).equals(id)) {
        return u.copy();
      }
    }
    return null;
  }

  private static JsonObject analytics() {
    JsonArray days = new JsonArray();
    int[] visits = {1204, 1388, 1297, 1510, 1622, 980, 875};
    for (int i = 0; i < visits.length; i++) {
      days.add(
          new JsonObject()
              .put("date", "2026-11-" + (21 + i))
              .put("visits", visits[i])
              .put("signups", visits[i] / 37));
    }
    return new JsonObject().put("period", "last_7_days").put("daily", days);
  }
}
