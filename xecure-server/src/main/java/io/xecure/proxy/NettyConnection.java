package io.xecure.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;
import io.xecure.net.limits.ConnectionGuard;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the {@link NettyProxyServer}, or one HTTP/2 stream: its requests
 * answered one at a time, in the order they came (a pipelined request waits, unread beyond what one
 * read brought, until the one before it is answered). Each request runs on the connection's event
 * loop inside the loop's Vert.x context, so that the policies' futures and clients (Redis) call
 * back on this loop. A stream carries one request; what HTTP/1 does to the connection (close after
 * the response, close now) is done to the stream alone.
 */
final class NettyConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(NettyConnection.class);

  private final ProxyHandler handler;
  private final ContextInternal context;
  private final NettyProxyServer server;
  private final boolean secure;
  private final boolean stream;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ConnectionGuard guard;
  private @Nullable String peer;

  /** The request being answered, until both its response and its body are over. */
  private @Nullable NettyClientRequest current;

  /** Whether the current request's response has ended (its body may still be arriving). */
  private boolean answered;

  /** Messages read after the current request, waiting for it to be over. */
  private @Nullable ArrayDeque<Object> waiting;

  private boolean closed;

  /** Within a read of this connection: flushes wait for its end, as Vert.x's server does. */
  private boolean reading;

  private boolean flushAtReadEnd;

  NettyConnection(
      ProxyHandler handler,
      ContextInternal context,
      NettyProxyServer server,
      boolean secure,
      boolean stream) {
    this.handler = handler;
    this.context = context;
    this.server = server;
    this.secure = secure;
    this.stream = stream;
  }

  /** Whether the client connection is TLS. */
  boolean secure() {
    return secure;
  }

  /** Whether this is an HTTP/2 stream: its end frames the body, never the connection's. */
  boolean stream() {
    return stream;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.guard = ConnectionGuard.of(ctx.channel());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    server.opened(this);
    super.channelActive(ctx);
  }

  @Nullable ConnectionGuard guard() {
    return guard;
  }

  /**
   * The client's address as text, made once per connection: a keep-alive connection's requests all
   * come from it, and formatting it was a string and a byte array a request.
   */
  String peer() {
    String p = peer;
    if (p == null) {
      p =
          channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
              ? inet.getAddress().getHostAddress()
              : "unknown";
      peer = p;
    }
    return p;
  }

  private Channel channel() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      throw new IllegalStateException("not in a pipeline");
    }
    return c.channel();
  }

  boolean closed() {
    return closed;
  }

  boolean closing() {
    return server.closing();
  }

  boolean writable() {
    return channel().isWritable();
  }

  void write(HttpObject message, boolean flush) {
    ChannelHandlerContext c = ctx;
    if (c == null || closed) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (flush && !reading) {
      c.writeAndFlush(message, c.voidPromise());
    } else {
      // an answer written while this connection's bytes are being read (a refusal, pipelined
      // answers) leaves with the read's end: once the request's whole handling has run
      flushAtReadEnd |= flush;
      c.write(message, c.voidPromise());
    }
  }

  void flush() {
    ChannelHandlerContext c = ctx;
    if (reading) {
      flushAtReadEnd = true;
    } else if (c != null) {
      c.flush();
    }
  }

  void closeConnection() {
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    reading = false;
    if (flushAtReadEnd) {
      flushAtReadEnd = false;
      ctx.flush();
    }
    super.channelReadComplete(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    ArrayDeque<Object> queue = waiting;
    if ((queue != null && !queue.isEmpty()) || (msg instanceof HttpRequest && current != null)) {
      if (queue == null) {
        queue = new ArrayDeque<>(4);
        waiting = queue;
      }
      queue.add(msg);
      updateReading();
      return;
    }
    ContextInternal previous = context.beginDispatch();
    try {
      dispatch(msg);
    } catch (RuntimeException e) {
      LOG.error("a request failed on its connection", e);
      closeConnection();
    } finally {
      context.endDispatch(previous);
    }
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest head) {
      boolean whole = msg instanceof LastHttpContent;
      NettyClientRequest request = new NettyClientRequest(this, head, whole);
      current = request;
      answered = false;
      if (head.decoderResult().isFailure()) {
        handler.invalid(request, head.decoderResult().cause());
      } else {
        handler.handle(request);
      }
      if (whole) {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    NettyClientRequest request = current;
    if (msg instanceof HttpContent content && request != null) {
      request.content(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The current request's body has arrived whole. */
  void bodyEnded(NettyClientRequest request) {
    if (request == current && answered) {
      next();
    }
  }

  /** The current request's response was written (its body may still be arriving). */
  void responseEnded(NettyClientRequest request, boolean keepAlive) {
    ConnectionGuard g = guard;
    if (g != null) {
      g.responseEnded();
    }
    if (request != current) {
      return;
    }
    answered = true;
    if (stream && !keepAlive) {
      // the stream's last frame is written: what is left of the request's body is refused
      ChannelHandlerContext c = ctx;
      if (c != null) {
        c.flush();
        c.close();
      }
      return;
    }
    if (!keepAlive || (server.closing() && !stream)) {
      // the last response, or the listener is shutting down: nothing more is read here
      ChannelHandlerContext c = ctx;
      if (c != null) {
        c.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    if (request.received()) {
      next();
    } else {
      request.discardBody();
      updateReading();
    }
  }

  /** The current request is over: the next one waiting is taken up, after this call returns. */
  private void next() {
    NettyClientRequest done = current;
    if (done != null) {
      // what was held of its body (a refused request's, never resumed) is not needed any more
      done.releaseHeld();
    }
    current = null;
    ArrayDeque<Object> queue = waiting;
    if (queue == null || queue.isEmpty()) {
      updateReading();
      return;
    }
    ChannelHandlerContext c = ctx;
    if (c != null) {
      // not from here: a burst of pipelined requests answered at once would nest ever deeper
      c.executor().execute(this::takeWaiting);
    }
  }

  private void takeWaiting() {
    ArrayDeque<Object> queue = waiting;
    if (closed || queue == null) {
      return;
    }
    ContextInternal previous = context.beginDispatch();
    // the answers to the requests taken here leave in one flush, as from a read
    reading = true;
    try {
      while (current == null && !queue.isEmpty()) {
        dispatch(queue.poll());
      }
      NettyClientRequest request = current;
      while (request != null && !queue.isEmpty() && !(queue.peek() instanceof HttpRequest)) {
        dispatch(queue.poll());
      }
    } catch (RuntimeException e) {
      LOG.error("a request failed on its connection", e);
      closeConnection();
    } finally {
      context.endDispatch(previous);
      reading = false;
      if (flushAtReadEnd) {
        flushAtReadEnd = false;
        flush();
      }
    }
    updateReading();
  }

  /**
   * Reads while nothing holds it back: not while requests wait for the current one, nor while the
   * current request's body is paused.
   */
  void updateReading() {
    ChannelHandlerContext c = ctx;
    if (c == null || closed) {
      return;
    }
    ArrayDeque<Object> queue = waiting;
    NettyClientRequest request = current;
    boolean read =
        (queue == null || queue.isEmpty()) && (request == null || !request.holdsReading());
    if (c.channel().config().isAutoRead() != read) {
      c.channel().config().setAutoRead(read);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    NettyClientRequest request = current;
    if (request != null && ctx.channel().isWritable()) {
      ContextInternal previous = context.beginDispatch();
      try {
        request.response().drained();
      } finally {
        context.endDispatch(previous);
      }
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed = true;
    server.closed(this);
    NettyClientRequest request = current;
    current = null;
    ArrayDeque<Object> queue = waiting;
    if (queue != null) {
      queue.forEach(ReferenceCountUtil::release);
      queue.clear();
    }
    if (request != null) {
      ContextInternal previous = context.beginDispatch();
      try {
        if (!request.received()) {
          request.failed(new ClosedChannelException());
        }
        // a body read whole while paused, its request not answered yet, is not needed any more
        request.releaseHeld();
        request.response().connectionClosed();
      } finally {
        context.endDispatch(previous);
      }
    }
    super.channelInactive(ctx);
  }

  /** Runs {@code action} on the connection's event loop. */
  void onLoop(Runnable action) {
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.executor().execute(action);
    }
  }

  /** Closes the connection now if it is between requests; else after the current response. */
  void closeWhenIdle() {
    if (current == null) {
      closeConnection();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("client connection failed", cause);
    ctx.close();
  }
}
