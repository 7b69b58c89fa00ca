package io.xecure.net.limits;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.VertxHttpObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.xecure.clock.CoarseClock;
import io.xecure.config.LimitsConfig;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The deadlines of one HTTP/1 connection, between the request decoder and Vert.x's handler, where
 * it sees decoded requests coming in and responses going out. All of it runs on the connection's
 * event loop; nothing is synchronised.
 *
 * <ul>
 *   <li><b>Head</b>: from the accept, or on a kept-alive connection from the first bytes of the
 *       next head, the head must be decoded within {@code header_timeout}, however the bytes
 *       trickle in. Past it, a head that had begun fails to decode with {@link RequestTimeout}, so
 *       the server's invalid-request handler answers it 408 and records it, like every other bad
 *       head; a connection that sent nothing is closed without an answer.
 *   <li><b>Body</b>: a body from which nothing arrives for {@code body_idle_timeout} runs the
 *       request's {@link #onBodyStall} action (the proxy answers 408) unless its response has
 *       begun; otherwise, or without an action, the connection is closed. Time while the gateway
 *       does not read (back-pressure towards a slow upstream) does not count.
 *   <li><b>Idle</b>: with no request in progress, a kept-alive connection is closed after {@code
 *       idle_timeout}.
 *   <li><b>Writes</b>: a connection whose socket stays unwritable (the client does not take its
 *       response) for {@code response_write_timeout} is closed: the response in progress is reset,
 *       and with it the upstream exchange that fed it, so a slow reader cannot hold pooled upstream
 *       connections.
 *   <li><b>Target</b>: a request target longer than {@code max_uri} fails to decode (414).
 * </ul>
 *
 * <p>One timer per connection, never rescheduled per request: it fires at least every shortest
 * timeout and then exactly at the nearest deadline, which no deadline set since can precede (each
 * is at least the shortest timeout away from when it is set).
 *
 * <p>A deadline starts at {@link CoarseClock}'s reading, at most a tick (10 ms) old: set twice a
 * request, a reading of the system clock was one of the dozen a request made. So a deadline may
 * fall up to a tick before its timeout has passed in full, never after; the timer and the rare
 * writability changes read the system clock.
 */
public final class ConnectionGuard extends ChannelDuplexHandler {
  public static final String NAME = "xecureLimits";

  private enum Phase {
    /** Waiting for the rest of a head whose deadline runs. */
    HEAD,
    /** Reading a request body. */
    BODY,
    /** Between two requests: responses may still be in progress. */
    BETWEEN
  }

  private final ListenerLimits limits;
  private final long headerTimeout;
  private final long bodyIdleTimeout;
  private final long idleTimeout;
  private final long writeTimeout;
  private final long checkEvery;
  private final int maxUri;

  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ScheduledFuture<?> timer;
  private Phase phase = Phase.HEAD;

  /** When the phase's deadline started: the head's start, the last body read, the last answer. */
  private long since;

  /** Whether any byte of the current head has arrived. */
  private boolean headBegun;

  /** Whether a message was decoded in the current read: then its bytes were no new head. */
  private boolean decodedInRead;

  /** Requests decoded whose responses have not ended. */
  private int open;

  private boolean responseStarted;
  private long unwritableSince = -1;

  /** Set once the connection is being refused or closed: what arrives after is dropped. */
  private boolean done;

  private @Nullable Runnable bodyStall;

  ConnectionGuard(ListenerLimits limits) {
    LimitsConfig config = limits.config();
    this.limits = limits;
    this.headerTimeout = config.headerTimeout().toNanos();
    this.bodyIdleTimeout = config.bodyIdleTimeout().toNanos();
    this.idleTimeout = config.idleTimeout().toNanos();
    this.writeTimeout = config.responseWriteTimeout().toNanos();
    this.checkEvery = config.shortestTimeout().toNanos();
    this.maxUri = config.maxUri();
  }

  /** The guard of a connection, or null when it has none (not HTTP/1, or not admitted). */
  public static @Nullable ConnectionGuard of(HttpConnection connection) {
    if (connection instanceof ConnectionBase base
        && base.channelHandlerContext().pipeline().get(NAME) instanceof ConnectionGuard guard) {
      return guard;
    }
    return null;
  }

  /** The guard of a channel, or null when it has none. */
  public static @Nullable ConnectionGuard of(Channel channel) {
    return channel.pipeline().get(NAME) instanceof ConnectionGuard guard ? guard : null;
  }

  /**
   * What to do when the body of the request in progress stalls before its response has begun:
   * answer it (408) and close. Forgotten when the response ends. Call on the event loop.
   */
  public void onBodyStall(Runnable action) {
    this.bodyStall = action;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.since = CoarseClock.nanoTime();
    if (!ctx.channel().isWritable()) {
      unwritableSince = since;
    }
    schedule(checkEvery);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    done = true;
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (done) {
      ReferenceCountUtil.release(msg);
      return;
    }
    decodedInRead = true;
    if (msg instanceof HttpRequest request) {
      open++;
      headBegun = false;
      if (request.decoderResult().isSuccess() && request.uri().length() > maxUri) {
        request.setDecoderResult(
            DecoderResult.failure(
                new TooLongHttpLineException("the request target is over " + maxUri + " bytes")));
      }
      if (request.decoderResult().isFailure()) {
        // answered by the invalid-request handler, then closed: its body is never read
        done = true;
        phase = Phase.BETWEEN;
      } else {
        phase = msg instanceof LastHttpContent ? Phase.BETWEEN : Phase.BODY;
        since = CoarseClock.nanoTime();
      }
    } else if (msg instanceof HttpContent) {
      since = CoarseClock.nanoTime();
      if (msg instanceof LastHttpContent) {
        phase = Phase.BETWEEN;
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (phase == Phase.HEAD) {
      headBegun = true;
    } else if (phase == Phase.BETWEEN && open == 0 && !decodedInRead) {
      // bytes that decoded to nothing: the start of a next head (a head that starts in the same
      // read as the previous request ends is caught at its next read, or by the idle timeout)
      phase = Phase.HEAD;
      headBegun = true;
      since = CoarseClock.nanoTime();
    }
    decodedInRead = false;
    super.channelReadComplete(ctx);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpResponse response && response.status().code() >= 200) {
      responseStarted = true;
    }
    if (msg instanceof VertxHttpObject object && object.isEnded()) {
      responseEnded();
    }
    super.write(ctx, msg, promise);
  }

  /**
   * The response in progress has been written whole: called from {@link #write} for Vert.x's
   * messages, by a server of our own for its.
   */
  public void responseEnded() {
    open = Math.max(0, open - 1);
    responseStarted = false;
    bodyStall = null;
    if (open == 0 && phase == Phase.BETWEEN) {
      since = CoarseClock.nanoTime();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      unwritableSince = -1;
    } else if (unwritableSince < 0) {
      unwritableSince = System.nanoTime();
    }
    super.channelWritabilityChanged(ctx);
  }

  private void check() {
    timer = null;
    ChannelHandlerContext c = ctx;
    if (c == null || done || !c.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    long next = now + checkEvery;
    if (unwritableSince >= 0) {
      long due = unwritableSince + writeTimeout;
      if (now - due >= 0) {
        close(c, Limit.RESPONSE_WRITE_TIMEOUT);
        return;
      }
      next = earlier(next, due);
    }
    // while the gateway holds reading back, the client is not the one who is late
    boolean reading = c.channel().config().isAutoRead();
    switch (phase) {
      case HEAD -> {
        if (!reading) {
          since = now;
        }
        long due = since + headerTimeout;
        if (now - due >= 0) {
          headTimedOut(c);
          return;
        }
        next = earlier(next, due);
      }
      case BODY -> {
        if (!reading) {
          since = now;
        }
        long due = since + bodyIdleTimeout;
        if (now - due >= 0) {
          bodyStalled(c);
          return;
        }
        next = earlier(next, due);
      }
      case BETWEEN -> {
        if (open == 0) {
          if (pendingWrites(c)) {
            since = now;
          }
          long due = since + idleTimeout;
          if (now - due >= 0) {
            close(c, Limit.IDLE_TIMEOUT);
            return;
          }
          next = earlier(next, due);
        }
      }
    }
    schedule(next - now);
  }

  /**
   * A head that had begun fails to decode, as a head too large would: the server's invalid-request
   * handler answers 408 and closes. A connection that sent nothing is closed without a word.
   */
  private void headTimedOut(ChannelHandlerContext c) {
    limits.count(Limit.HEADER_TIMEOUT);
    if (!headBegun) {
      done = true;
      c.close();
      return;
    }
    DefaultHttpRequest head = null;
    if (c.pipeline().get("httpDecoder") instanceof HeadDecoder decoder) {
      head = decoder.partialHead();
    }
    if (head == null) {
      // as Netty answers a request line it cannot read
      head = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
    }
    head.setDecoderResult(DecoderResult.failure(new RequestTimeout()));
    done = true;
    open++;
    phase = Phase.BETWEEN;
    c.fireChannelRead(head);
    // as after a read from the socket: a server that flushes at the end of a read does so now
    c.fireChannelReadComplete();
    // a client that does not read its answer is still bound by the write deadline
    schedule(writeTimeout);
  }

  private void bodyStalled(ChannelHandlerContext c) {
    limits.count(Limit.BODY_IDLE_TIMEOUT);
    Runnable action = bodyStall;
    bodyStall = null;
    done = true;
    if (action != null && !responseStarted) {
      action.run();
      schedule(writeTimeout);
    } else {
      c.close();
    }
  }

  /** After a refusal, only the write deadline still applies. */
  private void afterRefusal() {
    ChannelHandlerContext c = ctx;
    if (c != null && c.channel().isActive()) {
      c.close();
    }
  }

  private void close(ChannelHandlerContext c, Limit limit) {
    limits.count(limit);
    done = true;
    c.close();
  }

  private static boolean pendingWrites(ChannelHandlerContext c) {
    ChannelOutboundBuffer buffer = c.channel().unsafe().outboundBuffer();
    return buffer != null && buffer.totalPendingWriteBytes() > 0;
  }

  private static long earlier(long a, long b) {
    return a - b <= 0 ? a : b;
  }

  private void schedule(long delayNanos) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    cancel();
    timer =
        c.executor()
            .schedule(
                done ? this::afterRefusal : this::check,
                Math.max(0, delayNanos),
                TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
      timer = null;
    }
  }
}
