package io.xecure.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.xecure.clock.CoarseClock;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One keep-alive connection to an upstream, leased to one {@link UpstreamCall} at a time. It writes
 * the call's request and hands the response back piece by piece; once both are complete and the
 * upstream keeps the connection alive, it goes back to its {@link LoopPool}; otherwise it is
 * closed. Every method runs on the connection's event loop.
 *
 * <p>The response deadline is an idle one, as an API's {@code timeout} is: no byte from the
 * upstream for that long fails the call (504 before the response began, a reset after).
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  private final LoopPool pool;
  private @Nullable Channel channel;
  private @Nullable UpstreamCall call;
  private boolean requestSent;
  private boolean skippingInformational;
  private boolean keepAlive;
  private long timeoutNanos;
  private long lastRead;
  // one timer per connection, kept across requests: it fires at most every timeout and then
  // checks the call of the moment; rescheduled only when a call needs it sooner
  private @Nullable ScheduledFuture<?> timer;
  private long timerDue;
  private @Nullable Throwable failure;
  long idleSince;

  UpstreamConnection(LoopPool pool) {
    this.pool = pool;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** Whether this idle connection may take another request. */
  boolean usable(long now, long maxIdleNanos) {
    Channel ch = channel;
    return ch != null && ch.isActive() && now - idleSince < maxIdleNanos;
  }

  /** Gives the connection to {@code next}; {@code now} is {@link System#nanoTime()}'s reading. */
  void lease(UpstreamCall next, long timeout, long now) {
    call = next;
    requestSent = false;
    skippingInformational = false;
    keepAlive = false;
    failure = null;
    timeoutNanos = timeout;
    lastRead = now;
    Channel ch = channel;
    if (ch != null) {
      if (timer == null || timerDue - (now + timeout) > 0) {
        cancelTimer();
        schedule(ch, timeout);
      }
      ch.config().setAutoRead(true);
    }
    next.connected(this);
  }

  /** Sends a request whose body (maybe empty) is all here. */
  public void send(UpstreamCall owner, HttpRequest head, ByteBuf body) {
    Channel ch = channel;
    if (owner != call || ch == null) {
      ReferenceCountUtil.release(body);
      return;
    }
    requestSent = true;
    write(
        ch,
        new DefaultFullHttpRequest(
            head.protocolVersion(),
            head.method(),
            head.uri(),
            body,
            head.headers(),
            EmptyHttpHeaders.INSTANCE));
  }

  /** Starts a request whose body follows with {@link #sendContent} and {@link #sendEnd}. */
  public void sendHead(UpstreamCall owner, HttpRequest head) {
    Channel ch = channel;
    if (owner == call && ch != null) {
      write(ch, head);
    }
  }

  public void sendContent(UpstreamCall owner, ByteBuf chunk) {
    Channel ch = channel;
    if (owner != call || ch == null) {
      ReferenceCountUtil.release(chunk);
      return;
    }
    write(ch, new DefaultHttpContent(chunk));
  }

  public void sendEnd(UpstreamCall owner) {
    Channel ch = channel;
    if (owner != call || ch == null) {
      return;
    }
    requestSent = true;
    write(ch, LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /**
   * Writes now and flushes once the loop has handled the rest of this turn's I/O ({@link
   * LoopPool#flushLater}). Flushed at once, each request woke an upstream on the same CPU (a
   * sidecar, the benchmark's nginx), which then preempted the loop every few requests: 54,000 times
   * in 10 s at 31k req/s, against 13,000 now (bench/results/deferred-flush-2026-12-07.md).
   */
  private void write(Channel ch, Object message) {
    ch.write(message, ch.voidPromise());
    pool.flushLater(ch);
  }

  /** Whether the request body may be written without queueing in memory. */
  public boolean isWritable() {
    Channel ch = channel;
    return ch != null && ch.isWritable();
  }

  /** Stops reading the response while the client cannot take more. */
  public void pauseReading(UpstreamCall owner) {
    Channel ch = channel;
    if (owner == call && ch != null) {
      ch.config().setAutoRead(false);
    }
  }

  public void resumeReading(UpstreamCall owner) {
    Channel ch = channel;
    if (owner == call && ch != null) {
      ch.config().setAutoRead(true);
      ch.read();
    }
  }

  /** Ends the exchange early (the client went away, or the gateway refused the rest): closed. */
  public void abort(UpstreamCall owner) {
    if (owner == call) {
      call = null;
      cancelTimer();
      Channel ch = channel;
      if (ch != null) {
        ch.close();
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      UpstreamCall current = call;
      if (current == null) {
        return; // a response nobody asked for: the connection is closed when it ends or breaks
      }
      // a tick stale at most: the read timeout it is checked against is seconds, not milliseconds
      lastRead = CoarseClock.nanoTime();
      if (msg instanceof HttpResponse response) {
        if (response.decoderResult().isFailure()) {
          fail(current, response.decoderResult().cause(), false);
          ctx.close();
          return;
        }
        int status = response.status().code();
        if (status >= 100 && status < 200 && status != 101) {
          skippingInformational = true;
          if (status == HttpResponseStatus.CONTINUE.code()) {
            current.continued();
          }
          return;
        }
        keepAlive = HttpUtil.isKeepAlive(response);
        current.head(response);
      }
      if (msg instanceof HttpContent content) {
        if (content.decoderResult().isFailure()) {
          // a broken chunk or trailer: the decoder reads nothing more on this connection, so it
          // must not go back to the pool, and the answer it was part of is broken too
          fail(current, content.decoderResult().cause(), false);
          ctx.close();
          return;
        }
        if (skippingInformational) {
          skippingInformational = !(content instanceof LastHttpContent);
          return;
        }
        boolean last = content instanceof LastHttpContent;
        if (call == current) {
          current.content(content.content(), last);
        }
        if (last && call == current) {
          finished();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The response is complete: back to the pool when the request is too and the upstream agrees. */
  private void finished() {
    call = null;
    Channel ch = channel;
    if (ch == null) {
      return;
    }
    if (requestSent && keepAlive && ch.isActive()) {
      pool.release(this);
    } else {
      ch.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamCall current = call;
    if (current != null && ctx.channel().isWritable()) {
      current.writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    UpstreamCall current = call;
    if (current != null) {
      Throwable cause = failure;
      fail(
          current,
          cause != null ? cause : new IOException("the upstream closed the connection"),
          false);
    }
    pool.closed(this);
  }

  private void schedule(Channel ch, long delayNanos) {
    timerDue = System.nanoTime() + delayNanos;
    timer = ch.eventLoop().schedule(this::checkTimeout, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void checkTimeout() {
    timer = null;
    UpstreamCall current = call;
    Channel ch = channel;
    if (current == null || ch == null) {
      return; // idle in the pool: the next lease starts the timer again
    }
    long idle = System.nanoTime() - lastRead;
    if (idle < timeoutNanos) {
      schedule(ch, timeoutNanos - idle);
      return;
    }
    fail(
        current,
        new TimeoutException("the upstream sent nothing for " + timeoutNanos / 1_000_000 + " ms"),
        true);
    ch.close();
  }

  private void fail(UpstreamCall current, Throwable cause, boolean timeout) {
    call = null;
    current.failed(cause, timeout);
  }

  private void cancelTimer() {
    ScheduledFuture<?> t = timer;
    timer = null;
    if (t != null) {
      t.cancel(false);
    }
  }

  void close() {
    cancelTimer();
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }
}
