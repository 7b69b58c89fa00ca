package io.xecure.proxy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.OutboundRequest;
import io.xecure.pipeline.PolicyChain;
import io.xecure.problem.ProblemCode;
import io.xecure.tls.UpstreamTls;
import java.net.URI;
import java.util.concurrent.TimeoutException;

/**
 * The end of the pipeline: a streaming reverse proxy over one pooled keep-alive HTTP client. Bodies
 * stream both ways with back-pressure, unless a policy buffered the request body. Upstream failures
 * become 502 upstream_unavailable, timeouts 504 upstream_timeout; once the response has started, a
 * failure can only reset the client connection.
 */
public final class Forwarder implements PolicyChain.Terminal, AutoCloseable {
  private final HttpClientAgent client;
  private final UpstreamTls tls = new UpstreamTls();

  /**
   * One pooled keep-alive client for all event loops and upstreams.
   *
   * @param poolSize connections kept to each upstream (host and port)
   */
  public Forwarder(Vertx vertx, int poolSize) {
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                // without it Vert.x sends no SNI to an https upstream (TlsEdgeTest pins it)
                .setForceSni(true)
                .setDecompressionSupported(false),
            new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(10_000));
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public Future<Void> forward(Exchange exchange) {
    OutboundRequest outbound = exchange.outbound();
    URI upstream = exchange.route().nextUpstream();
    String query = outbound.query();
    String path = exchange.route().upstreamPath(upstream, outbound.path());
    boolean https = "https".equalsIgnoreCase(upstream.getScheme());
    int port = upstream.getPort() > 0 ? upstream.getPort() : (https ? 443 : 80);
    long timeoutMs = exchange.route().api().timeout().toMillis();

    MultiMap headers = HttpHeaders.headers().addAll(outbound.headers());
    boolean defaultPort = port == (https ? 443 : 80);
    headers.set(
        HttpHeaders.HOST, defaultPort ? upstream.getHost() : upstream.getHost() + ":" + port);

    RequestOptions options =
        new RequestOptions()
            .setMethod(outbound.method())
            .setHost(upstream.getHost())
            .setPort(port)
            .setSsl(https)
            .setURI(query == null ? path : path + '?' + query)
            .setHeaders(headers)
            .setConnectTimeout(timeoutMs)
            .setIdleTimeout(timeoutMs);
    if (https) {
      options.setSslOptions(tls.options(exchange.route().api().upstreamCa()));
    }

    Promise<Void> done = Promise.promise();
    long upstreamStart = System.nanoTime();
    client
        .request(options)
        .compose(upstreamRequest -> send(exchange, upstreamRequest))
        .onComplete(
            ar -> {
              exchange.upstreamNanos(System.nanoTime() - upstreamStart);
              if (ar.succeeded()) {
                relay(exchange, ar.result(), done);
              } else {
                fail(exchange, ar.cause());
                done.tryComplete();
              }
            });
    return done.future();
  }

  private static Future<HttpClientResponse> send(Exchange exchange, HttpClientRequest upstream) {
    HttpServerRequest request = exchange.request();
    HttpServerResponse response = request.response();
    response.closeHandler(v -> upstream.reset());
    exchange.onAbort(upstream::reset);
    // a reset or failed upstream request is reported through the futures below
    upstream.exceptionHandler(failure -> {});
    Buffer body = exchange.outbound().body();
    if (body != null) {
      return upstream.send(body);
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      if ("0".equals(length)) {
        return upstream.putHeader(HttpHeaders.CONTENT_LENGTH, "0").send();
      }
      upstream.putHeader(HttpHeaders.CONTENT_LENGTH, length);
      return upstream.send(request);
    }
    if (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
      upstream.setChunked(true);
      return upstream.send(request);
    }
    return upstream.send();
  }

  private static void relay(Exchange exchange, HttpClientResponse upstream, Promise<Void> done) {
    HttpServerResponse response = exchange.response();
    if (response.ended()) {
      upstream.request().reset();
      done.tryComplete();
      return;
    }
    response.setStatusCode(upstream.statusCode());
    response.setStatusMessage(upstream.statusMessage());
    // with cors the gateway answers for CORS: the browser must see one answer, not two
    boolean gatewayCors = exchange.route().api().cors() != null;
    ForwardHeaders.copyResponse(upstream.headers(), response.headers(), gatewayCors);
    if (exchange.key() != null && !response.headers().contains(HttpHeaders.CACHE_CONTROL)) {
      // an answer for one key's holder: a shared cache in front must never serve it to another
      response.headers().set(HttpHeaders.CACHE_CONTROL, "private");
    }
    response.headers().set("x-request-id", exchange.requestId());
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      response.setChunked(true);
    }
    // Not response.send(upstream): when the client has gone, its pipe ends the response on the
    // failed write and then asks the ended response whether its queue is full, which throws (an
    // ERROR per disconnect). A failed pipe instead resets both sides: a client that is still
    // there sees a cut-off response, never a short one that looks complete.
    upstream
        .pipe()
        .endOnFailure(false)
        .to(response)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                upstream.request().reset();
                if (!response.ended()) {
                  response.reset();
                }
              }
              done.tryComplete();
            });
  }

  private static void fail(Exchange exchange, Throwable cause) {
    boolean timeout =
        cause instanceof TimeoutException
            || cause instanceof io.netty.channel.ConnectTimeoutException
            || (cause.getMessage() != null && cause.getMessage().contains("timeout"));
    if (timeout) {
      exchange.refuse(
          ProblemCode.UPSTREAM_TIMEOUT, "The upstream did not answer in time.", "upstream_timeout");
    } else {
      exchange.refuse(
          ProblemCode.UPSTREAM_UNAVAILABLE, "The upstream could not be reached.", "upstream_error");
    }
  }
}
