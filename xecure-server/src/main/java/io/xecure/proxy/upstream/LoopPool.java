package io.xecure.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.xecure.clock.CoarseClock;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * The keep-alive connections to one upstream (host, port, TLS trust) made by one event loop, used
 * by that loop only, so nothing here is shared or locked. Idle connections are reused newest first
 * (the oldest are the likeliest to have been closed by the upstream); up to {@code max} are open;
 * beyond that requests wait in order, each at most its timeout.
 */
final class LoopPool {
  /** How long an idle connection is kept; below the usual upstream keep-alive (nginx: 75 s). */
  static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final String host;
  private final int port;
  private final int max;
  private final int maxWaiting;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int open;
  private boolean closed;
  // connections written to during this turn of the loop, flushed once its I/O has been handled
  private final ArrayList<Channel> unflushed = new ArrayList<>();
  private final Runnable flushAll = this::flushAll;

  private static final class Waiter {
    final UpstreamCall call;
    final long timeoutNanos;
    @Nullable ScheduledFuture<?> expiry;

    Waiter(UpstreamCall call, long timeoutNanos) {
      this.call = call;
      this.timeoutNanos = timeoutNanos;
    }
  }

  LoopPool(
      EventLoop loop,
      Bootstrap base,
      String host,
      int port,
      @Nullable SslContext tls,
      int max,
      int maxWaiting) {
    this.loop = loop;
    this.host = host;
    this.port = port;
    this.max = max;
    this.maxWaiting = maxWaiting;
    this.bootstrap =
        base.clone(loop)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (tls != null) {
                      ch.pipeline().addLast(tlsHandler(tls, ch));
                    }
                    ch.pipeline()
                        .addLast(new UpstreamCodec())
                        .addLast(new UpstreamConnection(LoopPool.this));
                  }
                });
  }

  /** With SNI always (the JDK leaves it out for a name without a dot) and the name verified. */
  private SslHandler tlsHandler(SslContext tls, Channel ch) {
    SslHandler handler = tls.newHandler(ch.alloc(), host, port);
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!isIpLiteral(host)) {
      params.setServerNames(java.util.List.of(new SNIHostName(host)));
    }
    engine.setSSLParameters(params);
    return handler;
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  /** Gives {@code call} a connection now, or once one is free. */
  void acquire(UpstreamCall call, long timeoutNanos) {
    if (closed) {
      call.failed(new IOException("the gateway is shutting down"), false);
      return;
    }
    long now = System.nanoTime();
    UpstreamConnection c;
    while ((c = idle.pollLast()) != null) {
      if (c.usable(now, MAX_IDLE_NANOS)) {
        c.lease(call, timeoutNanos, now);
        return;
      }
      c.close();
    }
    if (open < max) {
      connect(call, timeoutNanos);
    } else if (waiting.size() >= maxWaiting) {
      call.failed(new IOException("too many requests waiting for a connection upstream"), false);
    } else {
      Waiter w = new Waiter(call, timeoutNanos);
      w.expiry = loop.schedule(() -> expire(w), timeoutNanos, TimeUnit.NANOSECONDS);
      waiting.addLast(w);
    }
  }

  private void expire(Waiter w) {
    if (waiting.remove(w)) {
      w.call.failed(
          new ConnectTimeoutException("no connection upstream became free in time"), true);
    }
  }

  private void connect(UpstreamCall call, long timeoutNanos) {
    open++;
    int connectMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000));
    ChannelFuture connecting =
        bootstrap
            .clone()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
            .connect(host, port);
    connecting.addListener(
        f -> {
          if (f.isSuccess()) {
            UpstreamConnection c = connecting.channel().pipeline().get(UpstreamConnection.class);
            c.lease(call, timeoutNanos, System.nanoTime());
          } else {
            // the channel never became active: closed() is not called for it
            open--;
            Throwable cause = f.cause();
            call.failed(
                cause != null ? cause : new IOException("could not connect upstream"),
                cause instanceof ConnectTimeoutException);
            serveWaiter();
          }
        });
  }

  /** A finished exchange's connection: to the next waiter, else idle. */
  void release(UpstreamConnection c) {
    Waiter w = waiting.pollFirst();
    if (w != null) {
      cancel(w);
      c.lease(w.call, w.timeoutNanos, System.nanoTime());
      return;
    }
    c.idleSince = CoarseClock.nanoTime(); // compared with idle limits of seconds
    idle.addLast(c);
  }

  /** A connection closed (by either side): its place may go to a waiter. */
  void closed(UpstreamConnection c) {
    open--;
    idle.remove(c);
    serveWaiter();
  }

  private void serveWaiter() {
    if (!closed && open < max) {
      Waiter w = waiting.pollFirst();
      if (w != null) {
        cancel(w);
        connect(w.call, w.timeoutNanos);
      }
    }
  }

  private static void cancel(Waiter w) {
    ScheduledFuture<?> expiry = w.expiry;
    if (expiry != null) {
      expiry.cancel(false);
    }
  }

  /** Closes every idle connection and refuses what waits; runs on the loop. */
  void close() {
    closed = true;
    UpstreamConnection c;
    while ((c = idle.pollFirst()) != null) {
      c.close();
    }
    Waiter w;
    while ((w = waiting.pollFirst()) != null) {
      cancel(w);
      w.call.failed(new IOException("the gateway is shutting down"), false);
    }
  }

  /**
   * Flushes {@code ch} once the loop has handled the rest of this turn's I/O, as a task: the loop
   * runs its tasks after the ready channels. So an upstream sharing the CPU is woken once for the
   * requests of a turn, not for each one, and takes the CPU from the loop between turns rather than
   * after every request; an upstream elsewhere receives each request a few microseconds later at
   * most (the rest of the turn). Runs on the loop.
   */
  void flushLater(Channel ch) {
    if (unflushed.isEmpty()) {
      try {
        loop.execute(flushAll);
      } catch (RejectedExecutionException e) {
        ch.flush(); // the loop has shut down and takes no more tasks
        return;
      }
    }
    unflushed.add(ch);
  }

  private void flushAll() {
    for (int i = 0; i < unflushed.size(); i++) {
      unflushed.get(i).flush();
    }
    unflushed.clear();
  }
}
