package io.xecure.proxy;

import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.xecure.config.ListenConfig;
import io.xecure.net.limits.ListenerLimits;
import io.xecure.tls.ListenerTls;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The data-plane listener on Vert.x's HTTP server: our strict decoder in its pipeline, each request
 * handed to the {@link ProxyHandler}. Everything here runs on the event loop.
 *
 * <p>The listener's {@code gateway.limits} ({@link ListenerLimits}) cap its connections and put a
 * deadline on each head, body, idle connection and response write; the refusals they cause (408,
 * 414, 431) are answered and recorded like every other.
 */
public final class ProxyServer implements ProxyListener {
  private final Vertx vertx;
  private final ListenConfig config;
  private final ProxyHandler handler;
  private final ListenerLimits limits;
  private final @Nullable ListenerTls tls;
  private @Nullable HttpServer server;

  public ProxyServer(
      Vertx vertx,
      ListenConfig config,
      ProxyHandler handler,
      ListenerLimits limits,
      @Nullable ListenerTls tls) {
    this.vertx = vertx;
    this.limits = limits;
    this.tls = tls;
    this.config = config;
    this.handler = handler;
  }

  @Override
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
        .invalidRequestHandler(
            request ->
                handler.invalid(new VertxClientRequest(request), request.decoderResult().cause()))
        .requestHandler(
            request -> {
              if (request.version() == HttpVersion.HTTP_2 && !fieldValues(request.headers())) {
                // Netty's HTTP/2 codec checks names, not values; the stream is malformed
                request.response().reset(Http2Error.PROTOCOL_ERROR.code());
                return;
              }
              handler.handle(new VertxClientRequest(request));
            })
        .listen()
        .onSuccess(
            s -> {
              server = s;
              if (tls != null) {
                tls.serve(s);
              }
            });
  }

  @Override
  public int port() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s.actualPort();
  }

  @Override
  public Future<Void> shutdown(Duration grace) {
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean fieldValues(MultiMap headers) {
    for (Map.Entry<String, String> field : headers) {
      if (!Http2StreamCodec.fieldValue(field.getValue())) {
        return false;
      }
    }
    return true;
  }
}
