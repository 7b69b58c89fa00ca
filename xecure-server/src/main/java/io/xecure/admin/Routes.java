package io.xecure.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Registers endpoints on the router and records each one in the served list. */
final class Routes {
  private final Router router;
  private final List<Endpoint> served;
  private final BodyHandler jsonBody;
  private final BodyHandler bulkBody;

  Routes(Router router, List<Endpoint> served, long jsonLimit, long bulkLimit) {
    this.router = router;
    this.served = served;
    // no file uploads: the admin API takes JSON and text, and must not create upload folders
    this.jsonBody = BodyHandler.create(false).setBodyLimit(jsonLimit);
    this.bulkBody = BodyHandler.create(false).setBodyLimit(bulkLimit);
  }

  void get(String path, Handler<RoutingContext> handler) {
    add(HttpMethod.GET, path, null, handler);
  }

  void delete(String path, Handler<RoutingContext> handler) {
    add(HttpMethod.DELETE, path, null, handler);
  }

  void post(String path, Handler<RoutingContext> handler) {
    add(HttpMethod.POST, path, jsonBody, handler);
  }

  void put(String path, Handler<RoutingContext> handler) {
    add(HttpMethod.PUT, path, jsonBody, handler);
  }

  void patch(String path, Handler<RoutingContext> handler) {
    add(HttpMethod.PATCH, path, jsonBody, handler);
  }

  /** A POST whose body may be as large as a million keys. */
  void postBulk(String path, Handler<RoutingContext> handler) {
    add(HttpMethod.POST, path, bulkBody, handler);
  }

  private void add(
      HttpMethod method, String path, @Nullable BodyHandler body, Handler<RoutingContext> handler) {
    Endpoint endpoint = new Endpoint(method.name(), path);
    served.add(endpoint);
    var route = router.route(method, endpoint.routerPath());
    if (body != null) {
      route.handler(body);
    }
    route.handler(handler);
  }
}
