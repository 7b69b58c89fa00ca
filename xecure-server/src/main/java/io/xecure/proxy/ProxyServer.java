package io.xecure.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.xecure.config.ListenConfig;
import io.xecure.events.EventSink;
import io.xecure.keys.KeyIndex;
import io.xecure.net.Cidr;
import io.xecure.net.limits.ConnectionGuard;
import io.xecure.net.limits.InvalidRequests;
import io.xecure.net.limits.ListenerLimits;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.Route;
import io.xecure.problem.ProblemCode;
import io.xecure.problem.ProblemJson;
import io.xecure.routing.CanonicalTarget;
import io.xecure.routing.PathCanonicaliser;
import io.xecure.routing.RouteTable;
import io.xecure.scrub.Scrubber;
import io.xecure.tls.ListenerTls;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-plane listener: refuses bad framing and bad paths, routes by longest prefix on the
 * canonical path, runs the route's pipeline and records one event per request. Everything here runs
 * on the event loop; the route table is read once per request from the current snapshot.
 *
 * <p>The listener's {@code gateway.limits} ({@link ListenerLimits}) cap its connections and put a
 * deadline on each head, body, idle connection and response write; the refusals they cause (408,
 * 414, 431) are answered and recorded here like every other.
 */
public final class ProxyServer {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  private final Vertx vertx;
  private final ListenConfig config;
  private final Supplier<RouteTable> routes;
  private final KeyIndex index;
  private final RequestRecorder recorder;
  private final ClientAddress clientAddress;
  private final ListenerLimits limits;
  private final @Nullable ListenerTls tls;
  private @Nullable HttpServer server;

  public ProxyServer(
      Vertx vertx,
      ListenConfig config,
      Supplier<RouteTable> routes,
      KeyIndex index,
      EventSink events,
      Scrubber scrubber,
      String node,
      Clock clock,
      ListenerLimits limits,
      @Nullable ListenerTls tls) {
    this.vertx = vertx;
    this.limits = limits;
    this.tls = tls;
    this.config = config;
    this.routes = routes;
    this.index = index;
    this.recorder = new RequestRecorder(events, node, scrubber, routes, clock);
    this.clientAddress =
        new ClientAddress(
            config.trustedProxies().stream().map(Cidr::parse).filter(Objects::nonNull).toList());
  }

  public Future<HttpServer> start() {
    HttpServerOptions options =
        limits.apply(
            new HttpServerOptions()
                .setHost(config.bind())
                .setPort(config.port())
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                // HTTP/1 only in cleartext: without h2c detection the pipeline is built when the
                // connection opens, so StrictRequestDecoder is in place before the first byte is
                // decoded
                .setHttp2ClearTextEnabled(false));
    if (tls != null) {
      // HTTP/1.1 over TLS gets the same strict decoder: its pipeline is built, and the connection
      // handler called, once the handshake has chosen http/1.1; HTTP/2 is framed by the h2 codec
      tls.apply(options, config.http2());
    }
    return vertx
        .createHttpServer(options)
        .connectionHandler(
            connection -> {
              StrictRequestDecoder.install(connection, options);
              limits.admit(connection);
            })
        .invalidRequestHandler(this::invalid)
        .requestHandler(this::handle)
        .listen()
        .onSuccess(
            s -> {
              server = s;
              if (tls != null) {
                tls.serve(s);
              }
            });
  }

  public int port() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s.actualPort();
  }

  /** Stops accepting and lets in-flight requests finish, up to {@code grace}. */
  public Future<Void> shutdown(Duration grace) {
    Future<Void> stop =
        server == null
            ? Future.succeededFuture()
            : server.shutdown(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    return stop;
  }

  /**
   * A request the decoder refused (bad request line, header too large, URI too long, ambiguous
   * framing, a bad first chunk, a head not in within header_timeout): answered, recorded like every
   * refusal, and its connection closed, so nothing after it is read as a request.
   */
  private void invalid(HttpServerRequest request) {
    long start = System.nanoTime();
    String requestId = RequestIds.next();
    Throwable cause = request.decoderResult().cause();
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
    // after Vert.x's own Connection header (keep-alive on an HTTP/1.0 keep-alive request)
    InvalidRequests.closeAfter(request.response());
    refuse(request, start, requestId, code, detail);
    request.connection().close();
  }

  private void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    String requestId = RequestIds.next();
    request.pause();
    HttpServerResponse response = request.response();

    if ("/health".equals(request.path()) && request.method() == HttpMethod.GET) {
      health(response);
      return;
    }
    CanonicalTarget target =
        PathCanonicaliser.canonicalise(request.uri(), request.getHeader("host"));
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
    response.endHandler(v -> recorder.record(exchange));
    if (hasBody(request)) {
      watchBody(exchange);
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

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    return length != null ? !"0".equals(length) : request.getHeader("transfer-encoding") != null;
  }

  /**
   * A body that stops arriving (body_idle_timeout) before the response has begun: answered 408,
   * recorded as a refusal, the upstream exchange it was feeding ended, and the connection closed.
   */
  private static void watchBody(Exchange exchange) {
    HttpServerRequest request = exchange.request();
    ConnectionGuard guard = ConnectionGuard.of(request.connection());
    if (guard != null) {
      guard.onBodyStall(
          () -> {
            InvalidRequests.closeAfter(exchange.response());
            exchange.refuse(
                ProblemCode.REQUEST_TIMEOUT,
                InvalidRequests.BODY_STALLED.detail(),
                "body_idle_timeout");
            exchange.abort();
            request.connection().close();
          });
    }
  }

  /**
   * {@code GET /health} on the data port is the gateway's own (SPEC §6), ahead of routing: 503
   * until the key index is loaded, so a load balancer sends no traffic to a half-loaded node.
   */
  private void health(HttpServerResponse response) {
    boolean ready = index.ready();
    response
        .setStatusCode(ready ? 200 : 503)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(ready ? "{\"status\":\"ok\"}" : "{\"status\":\"loading\"}");
  }

  private void refuse(
      HttpServerRequest request, long start, String requestId, ProblemCode code, String detail) {
    HttpServerResponse response = request.response();
    response.endHandler(v -> recorder.recordRefusal(request, start, requestId, code));
    ProblemJson.send(response, code, detail, requestId);
  }
}
