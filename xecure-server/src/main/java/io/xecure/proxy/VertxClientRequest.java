package io.xecure.proxy;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.xecure.net.limits.ConnectionGuard;
import io.xecure.net.limits.InvalidRequests;
import io.xecure.pipeline.ClientRequest;
import io.xecure.pipeline.VertxClientResponse;
import org.jspecify.annotations.Nullable;

/** A request of Vert.x's HTTP server, as the proxy sees requests. */
final class VertxClientRequest implements ListenerRequest {
  private final HttpServerRequest request;
  private final VertxClientResponse response;

  VertxClientRequest(HttpServerRequest request) {
    this.request = request;
    this.response = new VertxClientResponse(request.response());
    if (request.version() == HttpVersion.HTTP_2
        && !request.isEnded()
        && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
      // an HTTP/2 body of no declared length is framed by the stream: say so as HTTP/1.1 would,
      // so that the proxy streams it to the upstream rather than dropping it
      request.headers().set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
    }
  }

  @Override
  public void lastOnConnection() {
    InvalidRequests.closeAfter(response.vertx());
  }

  @Override
  public void closeConnection() {
    request.connection().close();
  }

  @Override
  public void onBodyStall(Runnable action) {
    ConnectionGuard guard = ConnectionGuard.of(request.connection());
    if (guard != null) {
      guard.onBodyStall(action);
    }
  }

  @Override
  public HttpMethod method() {
    return request.method();
  }

  @Override
  public String uri() {
    return request.uri();
  }

  @Override
  public MultiMap headers() {
    return request.headers();
  }

  @Override
  public @Nullable String getHeader(CharSequence name) {
    return request.getHeader(name);
  }

  @Override
  public boolean isSSL() {
    return request.isSSL();
  }

  @Override
  public String peer() {
    SocketAddress remote = request.remoteAddress();
    String host = remote == null ? null : remote.hostAddress();
    return host == null ? "unknown" : host;
  }

  @Override
  public VertxClientResponse response() {
    return response;
  }

  @Override
  public ClientRequest handler(@Nullable Handler<Buffer> handler) {
    request.handler(handler);
    return this;
  }

  @Override
  public ClientRequest endHandler(@Nullable Handler<Void> handler) {
    request.endHandler(handler);
    return this;
  }

  @Override
  public ClientRequest exceptionHandler(@Nullable Handler<Throwable> handler) {
    request.exceptionHandler(handler);
    return this;
  }

  @Override
  public ClientRequest pause() {
    request.pause();
    return this;
  }

  @Override
  public ClientRequest resume() {
    request.resume();
    return this;
  }
}
