package io.xecure.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.xecure.net.limits.ConnectionGuard;
import io.xecure.pipeline.ClientRequest;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * A request of the {@link NettyProxyServer}: the head as {@link StrictRequestDecoder} decoded it
 * (its header map is Vert.x's, so the policies read it unchanged), the body as it arrives, held
 * while paused. Confined to the connection's event loop.
 */
final class NettyClientRequest implements ClientRequest {
  private final NettyConnection connection;
  private final HttpRequest head;
  private final HttpMethod method;
  private final MultiMap headers;
  private final NettyClientResponse response;

  private boolean paused;

  /** Whether the body's last piece has been read from the connection (delivered or not). */
  private boolean received;

  /** Pieces read while paused, in order; an empty last piece is only {@link #heldEnd}. */
  private @Nullable ArrayDeque<HttpContent> held;

  private boolean heldEnd;

  /** Set once the response ended first: the rest of the body is read and dropped. */
  private boolean discarding;

  private @Nullable Handler<Buffer> handler;
  private @Nullable Handler<ByteBuf> relay;
  private @Nullable Handler<Void> endHandler;
  private @Nullable Handler<Throwable> exceptionHandler;

  NettyClientRequest(NettyConnection connection, HttpRequest head, boolean received) {
    this.connection = connection;
    this.head = head;
    this.method = HttpMethod.fromNetty(head.method());
    if (head.headers() instanceof HeadersMultiMap map) {
      this.headers = map;
    } else {
      // a head the decoder did not build (the guard's stand-in for an unreadable request line)
      HeadersMultiMap copy = HeadersMultiMap.httpHeaders();
      copy.add(head.headers());
      this.headers = copy;
    }
    this.received = received;
    this.response = new NettyClientResponse(connection, this);
  }

  HttpVersion version() {
    return head.protocolVersion();
  }

  /** Whether the client asks to keep the connection open after this exchange. */
  boolean keepAlive() {
    String connection = head.headers().get(HttpHeaderNames.CONNECTION);
    if (head.protocolVersion().isKeepAliveDefault()) {
      return connection == null
          || !HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(connection.trim());
    }
    return connection != null
        && HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection.trim());
  }

  /** Whether the whole body has been read from the connection. */
  boolean received() {
    return received;
  }

  /** Whether the connection should stop reading for this request's sake. */
  boolean holdsReading() {
    return paused && !received;
  }

  @Override
  public HttpMethod method() {
    return method;
  }

  @Override
  public String uri() {
    return head.uri();
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public @Nullable String getHeader(CharSequence name) {
    return headers.get(name);
  }

  @Override
  public boolean isSSL() {
    return connection.secure();
  }

  @Override
  public String peer() {
    return connection.peer();
  }

  @Override
  public NettyClientResponse response() {
    return response;
  }

  @Override
  public NettyClientRequest handler(@Nullable Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public NettyClientRequest relay(@Nullable Handler<ByteBuf> relay) {
    this.relay = relay;
    return this;
  }

  @Override
  public NettyClientRequest endHandler(@Nullable Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public NettyClientRequest exceptionHandler(@Nullable Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public NettyClientRequest pause() {
    paused = true;
    return this;
  }

  @Override
  public NettyClientRequest resume() {
    if (!paused) {
      return this;
    }
    paused = false;
    ArrayDeque<HttpContent> queue = held;
    while (queue != null && !paused && !queue.isEmpty()) {
      deliver(queue.poll());
    }
    if (heldEnd && !paused) {
      heldEnd = false;
      ended();
    }
    connection.updateReading();
    return this;
  }

  /** A piece of this request's body from the decoder; owned here from now on. */
  void content(HttpContent content) {
    if (received) {
      content.release();
      return;
    }
    boolean last = content instanceof LastHttpContent;
    received = last;
    if (discarding) {
      content.release();
    } else if (paused || heldEnd || (held != null && !held.isEmpty())) {
      hold(content, last);
      connection.updateReading();
    } else {
      deliver(content);
    }
    if (last) {
      connection.bodyEnded(this);
    }
  }

  private void hold(HttpContent content, boolean last) {
    if (last && !content.content().isReadable() && content.decoderResult().isSuccess()) {
      // the end of a request without a body: a flag, not a queue
      content.release();
      heldEnd = true;
      return;
    }
    ArrayDeque<HttpContent> queue = held;
    if (queue == null) {
      queue = new ArrayDeque<>(4);
      held = queue;
    }
    queue.add(content);
  }

  private void deliver(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    try {
      if (content.decoderResult().isFailure()) {
        discarding = true;
        failed(content.decoderResult().cause());
        connection.closeConnection();
        return;
      }
      ByteBuf bytes = content.content();
      Handler<ByteBuf> r = relay;
      Handler<Buffer> h = handler;
      if (bytes.isReadable() && r != null) {
        r.handle(bytes.retain());
      } else if (bytes.isReadable() && h != null) {
        h.handle(Buffer.buffer(ByteBufUtil.getBytes(bytes)));
      }
    } finally {
      content.release();
    }
    if (last) {
      ended();
    }
  }

  private void ended() {
    Handler<Void> end = endHandler;
    if (end != null) {
      end.handle(null);
    }
  }

  /** The body will not arrive whole: the connection closed, or it broke. */
  void failed(Throwable cause) {
    releaseHeld();
    Handler<Throwable> h = exceptionHandler;
    if (h != null) {
      h.handle(cause);
    }
  }

  /** The response ended first: the rest of the body is read and dropped. */
  void discardBody() {
    discarding = true;
    paused = false;
    handler = null;
    relay = null;
    endHandler = null;
    releaseHeld();
  }

  /** Releases the pieces of the body read while paused and not delivered. */
  void releaseHeld() {
    heldEnd = false;
    ArrayDeque<HttpContent> queue = held;
    if (queue != null) {
      for (HttpContent content : queue) {
        content.release();
      }
      queue.clear();
    }
  }

  /** Makes the response the connection's last: {@code Connection: close}, then closed. */
  void lastOnConnection() {
    response.lastOnConnection();
  }

  /** Closes the client connection now (after what is already written). */
  void closeConnection() {
    connection.closeConnection();
  }

  /**
   * What to do when the request's body stops arriving before the response has begun (the listener's
   * {@code body_idle_timeout}); forgotten when the response ends.
   */
  void onBodyStall(Runnable action) {
    ConnectionGuard guard = connection.guard();
    if (guard != null) {
      guard.onBodyStall(action);
    }
  }
}
