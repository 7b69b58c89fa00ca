package io.xecure.net.limits;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.xecure.config.LimitsConfig;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The limits of one listener (the data plane's, or the admin port's) and its counts: open
 * connections, connections refused over the cap, and connections closed by each {@link Limit}.
 * Shared by the servers of every event loop that listen on the port; thread-safe.
 *
 * <p>Use: {@link #apply} to the server's options, {@link #admit} in its connection handler.
 */
public final class ListenerLimits {
  private final String listener;
  private final LimitsConfig config;
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder refused = new LongAdder();
  private final Map<Limit, LongAdder> timeouts = new EnumMap<>(Limit.class);

  /**
   * @param listener the listener's name in metrics: {@code gateway} or {@code admin}
   */
  public ListenerLimits(String listener, LimitsConfig config) {
    this.listener = listener;
    this.config = config;
    for (Limit limit : Limit.values()) {
      timeouts.put(limit, new LongAdder());
    }
  }

  public String listener() {
    return listener;
  }

  public LimitsConfig config() {
    return config;
  }

  /**
   * The head sizes, the TLS handshake's deadline ({@code header_timeout}), and Vert.x's own idle
   * timeout at {@code idle_timeout} for connections without a guard (the guard of an HTTP/1
   * connection replaces it: Vert.x's restarts with every byte).
   */
  public HttpServerOptions apply(HttpServerOptions options) {
    return options
        // the request line: the target and room for the method and version; the guard checks
        // the target's own length exactly
        .setMaxInitialLineLength(config.maxUri() + 64)
        .setMaxHeaderSize(config.maxHeaderSize())
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // a TLS handshake is part of the head's time
        .setSslHandshakeTimeout(config.headerTimeout().toMillis())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * Counts a new connection, closing it at once when the listener is at its cap; otherwise, for an
   * HTTP/1 connection, puts a {@link ConnectionGuard} in its pipeline in place of Vert.x's idle
   * handler. Call from the server's connection handler, after any change to the decoder.
   *
   * @return false when the connection was refused and closed
   */
  public boolean admit(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return true;
    }
    if (!count(base.channel())) {
      return false;
    }
    ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
    if (pipeline.get("httpDecoder") != null && pipeline.get("handler") != null) {
      IdleStateHandler idle = pipeline.get(IdleStateHandler.class);
      if (idle != null) {
        pipeline.remove(idle);
      }
      pipeline.addBefore("handler", ConnectionGuard.NAME, new ConnectionGuard(this));
    }
    return true;
  }

  /**
   * As {@link #admit(HttpConnection)}, for a channel whose pipeline is built by its server:
   * counted, or closed when the listener is at its cap (false). Its HTTP/1 pipeline takes a {@link
   * #guard}.
   */
  public boolean admit(Channel channel) {
    return count(channel);
  }

  /** A {@link ConnectionGuard} for an HTTP/1 pipeline, before the request handler. */
  public ConnectionGuard guard() {
    return new ConnectionGuard(this);
  }

  /** Counts {@code channel} until it closes, or closes it when the listener is at its cap. */
  private boolean count(Channel channel) {
    if (open.incrementAndGet() > config.maxConnections()) {
      open.decrementAndGet();
      refused.increment();
      channel.close();
      return false;
    }
    channel.closeFuture().addListener(f -> open.decrementAndGet());
    return true;
  }

  /**
   * {@code next}, with a stalled body answered 408 problem+json and the connection closed: for a
   * listener whose requests have no richer answer (the admin port).
   */
  public Handler<HttpServerRequest> guarded(Handler<HttpServerRequest> next) {
    return request -> {
      ConnectionGuard guard = ConnectionGuard.of(request.connection());
      if (guard != null) {
        guard.onBodyStall(() -> InvalidRequests.answer(request, InvalidRequests.BODY_STALLED));
      }
      next.handle(request);
    };
  }

  void count(Limit limit) {
    LongAdder count = timeouts.get(limit);
    if (count != null) {
      count.increment();
    }
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  /** Connections closed at accept because the listener was at {@code max_connections}. */
  public long refused() {
    return refused.sum();
  }

  /** Connections closed by {@code limit}. */
  public long timedOut(Limit limit) {
    LongAdder count = timeouts.get(limit);
    return count == null ? 0 : count.sum();
  }
}
