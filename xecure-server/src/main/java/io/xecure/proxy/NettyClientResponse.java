package io.xecure.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.buffer.BufferInternal;
import io.xecure.pipeline.ClientResponse;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a {@link NettyClientRequest}, written to the channel as Netty's HTTP messages: a
 * response known whole when it ends is one message and one flush; a streamed one is its head, its
 * pieces and its end. Keep-alive as HTTP/1.1 and 1.0 define it; a HEAD request, 1xx, 204 and 304
 * never carry a body. Confined to the connection's event loop.
 */
final class NettyClientResponse implements ClientResponse {
  private final NettyConnection connection;
  private final NettyClientRequest request;
  // validated like Vert.x's own response headers: values set here may come from the client; made
  // when first needed, since a proxied answer usually takes the upstream's map over instead
  private @Nullable HeadersMultiMap headers;
  private int status = 200;
  private @Nullable String message;
  private boolean chunked;
  private boolean headWritten;
  private boolean ended;
  private boolean last;
  private boolean keepAlive;
  private @Nullable Handler<Void> drainHandler;
  private @Nullable Handler<Void> closeHandler;
  private @Nullable Handler<Void> endHandler;

  NettyClientResponse(NettyConnection connection, NettyClientRequest request) {
    this.connection = connection;
    this.request = request;
  }

  @Override
  public int getStatusCode() {
    return status;
  }

  @Override
  public ClientResponse setStatusCode(int code) {
    this.status = code;
    return this;
  }

  @Override
  public ClientResponse setStatusMessage(String message) {
    this.message = message;
    return this;
  }

  @Override
  public MultiMap headers() {
    return own();
  }

  private HeadersMultiMap own() {
    HeadersMultiMap h = headers;
    if (h == null) {
      h = HeadersMultiMap.httpHeaders();
      headers = h;
    }
    return h;
  }

  /**
   * Takes the upstream's map as this response's own when nothing was set before it: the upstream
   * pool's decoder builds its headers as validating Vert.x maps, like this one (UpstreamCodec), so
   * the answer needs no copy of every header.
   */
  @Override
  public void addUpstreamHeaders(MultiMap upstream) {
    if ((headers == null || headers.isEmpty())
        && !headWritten
        && upstream instanceof HeadersMultiMap map) {
      headers = map;
    } else {
      own().addAll(upstream);
    }
  }

  @Override
  public ClientResponse setChunked(boolean chunked) {
    this.chunked = chunked;
    return this;
  }

  @Override
  public boolean headWritten() {
    return headWritten;
  }

  @Override
  public boolean ended() {
    return ended;
  }

  @Override
  public boolean closed() {
    return connection.closed();
  }

  /** The connection closes once this response is written. */
  void lastOnConnection() {
    last = true;
  }

  @Override
  public void write(Buffer chunk) {
    writeBytes(bytes(chunk));
  }

  /** Writes {@code chunk}, which is released once written (or at once when it is not). */
  private void writeBytes(ByteBuf chunk) {
    if (ended) {
      chunk.release();
      checkOpen();
    }
    if (!headWritten) {
      writeHead();
    }
    if (!bodyless() && chunk.isReadable()) {
      connection.write(new DefaultHttpContent(chunk), true);
    } else {
      chunk.release();
    }
  }

  @Override
  public void relay(ByteBuf chunk, boolean last) {
    if (last) {
      endWith(chunk);
    } else {
      writeBytes(chunk);
    }
  }

  @Override
  public void end() {
    end(null);
  }

  @Override
  public void end(@Nullable Buffer body) {
    endWith(body == null ? Unpooled.EMPTY_BUFFER : bytes(body));
  }

  /** Ends with {@code body}, which is released once written (or at once when it is not). */
  private void endWith(ByteBuf body) {
    if (ended) {
      body.release();
      checkOpen();
    }
    ended = true;
    ByteBuf content = body;
    if (bodyless()) {
      body.release();
      content = Unpooled.EMPTY_BUFFER;
    }
    if (headWritten) {
      if (bodyless()) {
        // the head went out as the whole message
        connection.flush();
      } else {
        if (content.isReadable()) {
          connection.write(new DefaultLastHttpContent(content), true);
        } else {
          content.release();
          connection.write(LastHttpContent.EMPTY_LAST_CONTENT, true);
        }
      }
    } else {
      if (!bodyless()) {
        // known whole: sent with its length, never chunked
        if (!own().contains(HttpHeaderNames.CONTENT_LENGTH)) {
          own().set(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(content.readableBytes()));
        }
        own().remove(HttpHeaderNames.TRANSFER_ENCODING);
      }
      prepareHead();
      connection.write(
          bodyless()
              ? new Bodyless(request.version(), status(), own())
              : new DefaultFullHttpResponse(
                  request.version(), status(), content, own(), EmptyHttpHeaders.INSTANCE),
          true);
    }
    Handler<Void> h = endHandler;
    endHandler = null;
    if (h != null) {
      h.handle(null);
    }
    connection.responseEnded(request, keepAlive);
  }

  private void writeHead() {
    if (!own().contains(HttpHeaderNames.CONTENT_LENGTH) && !bodyless() && !connection.stream()) {
      if (chunked && request.version().isKeepAliveDefault()) {
        own().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else {
        // no length and no chunks (HTTP/1.0 has none): the body ends where the connection does
        last = true;
      }
    }
    prepareHead();
    connection.write(
        bodyless()
            ? new Bodyless(request.version(), status(), own())
            : new DefaultHttpResponse(request.version(), status(), own()),
        false);
  }

  /** Sets the head's Connection header from the request, the response and the listener. */
  private void prepareHead() {
    headWritten = true;
    String asked = own().get(HttpHeaderNames.CONNECTION);
    keepAlive =
        !last
            && !connection.closing()
            && request.keepAlive()
            && (asked == null || !HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(asked));
    if (!keepAlive) {
      own().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!request.version().isKeepAliveDefault()) {
      own().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  private HttpResponseStatus status() {
    HttpResponseStatus standard = HttpResponseStatus.valueOf(status);
    String reason = message;
    // an upstream's usual phrase (the forwarder passes every one on) takes Netty's shared status
    return reason == null || reason.equals(standard.reasonPhrase())
        ? standard
        : new HttpResponseStatus(status, reason);
  }

  /** An answer to HEAD, 1xx, 204 and 304 never has a body. */
  private boolean bodyless() {
    return status < 200 || status == 204 || status == 304 || request.method() == HttpMethod.HEAD;
  }

  private void checkOpen() {
    if (ended) {
      throw new IllegalStateException("Response has already been written");
    }
  }

  private static ByteBuf bytes(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf();
  }

  @Override
  public boolean writeQueueFull() {
    return !connection.writable();
  }

  @Override
  public ClientResponse drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public ClientResponse closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
    return this;
  }

  @Override
  public ClientResponse endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public void writeContinue() {
    connection.write(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), true);
  }

  @Override
  public void reset() {
    if (!ended) {
      connection.closeConnection();
    }
  }

  /** The connection can take writes again. */
  void drained() {
    Handler<Void> h = drainHandler;
    if (h != null && !ended) {
      drainHandler = null;
      h.handle(null);
    }
  }

  /**
   * The connection closed: a response not ended never will be; its end is reported as Vert.x's
   * server does, so the request is still recorded, then its close.
   */
  void connectionClosed() {
    if (ended) {
      return;
    }
    ended = true;
    Handler<Void> end = endHandler;
    endHandler = null;
    if (end != null) {
      end.handle(null);
    }
    Handler<Void> close = closeHandler;
    if (close != null) {
      close.handle(null);
    }
  }

  /** A head without a body, whatever its headers say: the encoder writes no body or chunk end. */
  static final class Bodyless extends DefaultFullHttpResponse {
    Bodyless(HttpVersion version, HttpResponseStatus status, HeadersMultiMap headers) {
      super(version, status, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
    }
  }
}
