package io.xecure.proxy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.xecure.config.ListenConfig;
import io.xecure.events.EventSink;
import io.xecure.events.RequestIds;
import io.xecure.keys.KeyIndex;
import io.xecure.net.Cidr;
import io.xecure.net.limits.InvalidRequests;
import io.xecure.pipeline.ClientResponse;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.Route;
import io.xecure.problem.ProblemCode;
import io.xecure.problem.ProblemJson;
import io.xecure.routing.CanonicalTarget;
import io.xecure.routing.PathCanonicaliser;
import io.xecure.routing.RouteTable;
import io.xecure.scrub.Scrubber;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the data plane does with each request, whichever listener decoded it: refuses bad paths,
 * routes by longest prefix on the canonical path, runs the route's pipeline and records one event
 * per request. Runs on the connection's event loop; the route table is read once per request from
 * the current snapshot. One for the listener, shared by its servers on every event loop.
 */
public final class ProxyHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

  private final Supplier<RouteTable> routes;
  private final KeyIndex index;
  private final RequestRecorder recorder;
  private final ClientAddress clientAddress;

  public ProxyHandler(
      ListenConfig config,
      Supplier<RouteTable> routes,
      KeyIndex index,
      EventSink events,
      Scrubber scrubber,
      String node,
      Clock clock) {
    this.routes = routes;
    this.index = index;
    this.recorder = new RequestRecorder(events, node, scrubber, routes, clock);
    this.clientAddress =
        new ClientAddress(
            config.trustedProxies().stream().map(Cidr::parse).filter(Objects::nonNull).toList());
  }

  /**
   * A request the decoder refused (bad request line, header too large, URI too long, ambiguous
   * framing, a bad first chunk, a head not in within header_timeout): answered, recorded like every
   * refusal, and its connection closed, so nothing after it is read as a request.
   */
  void invalid(NettyClientRequest request, @Nullable Throwable cause) {
    long start = System.nanoTime();
    String requestId = RequestIds.next();
    ProblemCode code;
    String detail;
    InvalidRequests.Refusal limit = InvalidRequests.of(cause);
    if (limit != null) {
      code = limit.code();
      detail = limit.detail();
    } else if (cause instanceof RequestFraming.Refused refused) {
      code = ProblemCode.BAD_REQUEST;
      detail = Objects.requireNonNull(refused.getMessage());
    } else {
      code = ProblemCode.BAD_REQUEST;
      detail = "The request is malformed.";
    }
    request.lastOnConnection();
    refuse(request, start, requestId, code, detail);
    request.closeConnection();
  }

  /** A request whose head decoded: answered by the gateway or sent down its route's pipeline. */
  void handle(NettyClientRequest request) {
    long start = System.nanoTime();
    String requestId = RequestIds.next();
    request.pause();
    String uri = request.uri();
    if (request.method() == HttpMethod.GET && isHealth(uri)) {
      health(request.response());
      return;
    }
    CanonicalTarget target =
        PathCanonicaliser.canonicalise(uri, request.getHeader(HttpHeaders.HOST));
    String path = target.path();
    if (path == null) {
      refuse(
          request,
          start,
          requestId,
          ProblemCode.PATH_INVALID,
          Objects.requireNonNullElse(target.problem(), "Invalid path."));
      return;
    }
    Route route = routes.get().match(path);
    if (route == null) {
      refuse(request, start, requestId, ProblemCode.ROUTE_NOT_FOUND, "No API serves this path.");
      return;
    }
    if (!index.ready()) {
      refuse(
          request,
          start,
          requestId,
          ProblemCode.STORE_UNAVAILABLE,
          "The key store is not loaded yet; try again shortly.");
      return;
    }
    String[] client = clientAddress.resolve(request);
    String query = target.rawQuery();
    Exchange exchange =
        new Exchange(
            requestId,
            request,
            start,
            path,
            query,
            route,
            client[0],
            () -> ForwardHeaders.outbound(request, path, query, requestId, client[1]));
    request.response().endHandler(v -> recorder.record(exchange));
    if (request.hasBody()) {
      watchBody(request, exchange);
    }
    Future<Void> outcome;
    try {
      outcome = route.pipeline().run(exchange);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onFailure(
        failure -> {
          LOG.error("request {} failed in the pipeline", requestId, failure);
          exchange.refuse(
              ProblemCode.INTERNAL_ERROR, "The gateway failed to handle the request.", "error");
        });
  }

  /** Whether the target's path, up to its query, is {@code /health} (in absolute form too). */
  private static boolean isHealth(String uri) {
    int from = 0;
    if (!uri.startsWith("/")) {
      int scheme = uri.indexOf("://");
      from = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
    }
    return from >= 0
        && uri.startsWith("/health", from)
        && (uri.length() == from + 7 || uri.charAt(from + 7) == '?');
  }

  /**
   * A body that stops arriving (body_idle_timeout) before the response has begun: answered 408,
   * recorded as a refusal, the upstream exchange it was feeding ended, and the connection closed.
   */
  private static void watchBody(NettyClientRequest request, Exchange exchange) {
    request.onBodyStall(
        () -> {
          request.lastOnConnection();
          exchange.refuse(
              ProblemCode.REQUEST_TIMEOUT,
              InvalidRequests.BODY_STALLED.detail(),
              "body_idle_timeout");
          exchange.abort();
          request.closeConnection();
        });
  }

  /**
   * {@code GET /health} on the data port is the gateway's own (SPEC §6), ahead of routing: 503
   * until the key index is loaded, so a load balancer sends no traffic to a half-loaded node.
   */
  private void health(ClientResponse response) {
    boolean ready = index.ready();
    response
        .setStatusCode(ready ? 200 : 503)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(Buffer.buffer(ready ? "{\"status\":\"ok\"}" : "{\"status\":\"loading\"}"));
  }

  private void refuse(
      NettyClientRequest request, long start, String requestId, ProblemCode code, String detail) {
    ClientResponse response = request.response();
    response.endHandler(v -> recorder.recordRefusal(request, start, requestId, code));
    ProblemJson.send(response, code, detail, requestId);
  }
}
