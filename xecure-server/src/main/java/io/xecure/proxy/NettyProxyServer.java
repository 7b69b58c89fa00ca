package io.xecure.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.xecure.config.ListenConfig;
import io.xecure.net.limits.ConnectionGuard;
import io.xecure.net.limits.ListenerLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-plane listener as a server of our own on Netty's HTTP/1.1 codec ({@code gateway.server:
 * netty}): each connection's pipeline is our {@link StrictRequestDecoder}, Netty's response
 * encoder, the {@link ConnectionGuard} and a {@link NettyConnection}, on Vert.x's event loops
 * (where the upstream pools are). Plain HTTP/1.1 only; the same {@link ProxyHandler} as the Vert.x
 * listener answers every request, so routing, policies, refusals and events are the same.
 */
public final class NettyProxyServer implements ProxyListener {
  private static final Logger LOG = LoggerFactory.getLogger(NettyProxyServer.class);

  private final VertxInternal vertx;
  private final ListenConfig config;
  private final ProxyHandler handler;
  private final ListenerLimits limits;
  private final HttpServerOptions decoding;
  private final Map<EventLoop, ContextInternal> contexts = new HashMap<>();
  private final Set<NettyConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;
  private @Nullable Channel server;

  public NettyProxyServer(
      Vertx vertx, ListenConfig config, ProxyHandler handler, ListenerLimits limits) {
    this.vertx = (VertxInternal) vertx;
    this.config = config;
    this.limits = limits;
    this.handler = handler;
    // the decoder's sizes, as the Vert.x listener's
    this.decoding = limits.apply(new HttpServerOptions());
  }

  @Override
  public Future<Void> start() {
    for (EventExecutor executor : vertx.nettyEventLoopGroup()) {
      EventLoop loop = (EventLoop) executor;
      contexts.put(loop, vertx.contextBuilder().withEventLoop(loop).build());
    }
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(vertx.acceptorEventLoopGroup(), vertx.nettyEventLoopGroup())
            .channelFactory(vertx.transport().serverChannelFactory(false))
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    accept(channel);
                  }
                });
    Promise<Void> bound = Promise.promise();
    ChannelFuture bind = bootstrap.bind(config.bind(), config.port());
    bind.addListener(
        f -> {
          if (f.isSuccess()) {
            server = bind.channel();
            LOG.info("data plane on the Netty listener (gateway.server: netty), port {}", port());
            bound.complete();
          } else {
            bound.fail(f.cause());
          }
        });
    return bound.future();
  }

  private void accept(Channel channel) {
    if (closing) {
      channel.close();
      return;
    }
    ConnectionGuard guard = limits.admit(channel);
    if (guard == null) {
      return;
    }
    ContextInternal context = contexts.get(channel.eventLoop());
    if (context == null) {
      channel.close();
      return;
    }
    channel
        .pipeline()
        .addLast(StrictRequestDecoder.NAME, new StrictRequestDecoder(decoding))
        .addLast("httpEncoder", new ResponseEncoder())
        // between the codec and the handler: it sees decoded requests and responses going out
        .addLast(ConnectionGuard.NAME, guard)
        .addLast("handler", new NettyConnection(handler, context, this));
  }

  @Override
  public int port() {
    Channel s = server;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return ((InetSocketAddress) s.localAddress()).getPort();
  }

  boolean closing() {
    return closing;
  }

  void opened(NettyConnection connection) {
    connections.add(connection);
  }

  void closed(NettyConnection connection) {
    connections.remove(connection);
  }

  /**
   * Stops accepting, closes idle connections, lets requests in flight finish (each connection
   * closes after its response), and closes whatever is left after {@code grace}.
   */
  @Override
  public Future<Void> shutdown(Duration grace) {
    closing = true;
    Channel s = server;
    if (s != null) {
      s.close();
    }
    for (NettyConnection connection : connections) {
      connection.onLoop(connection::closeWhenIdle);
    }
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + grace.toNanos();
    vertx.setPeriodic(
        20,
        id -> {
          if (connections.isEmpty() || System.nanoTime() - deadline >= 0) {
            vertx.cancelTimer(id);
            connections.forEach(c -> c.onLoop(c::closeConnection));
            done.tryComplete();
          }
        });
    return done.future();
  }

  /** Netty's encoder, told that a {@link NettyClientResponse.Bodyless} head has no body. */
  private static final class ResponseEncoder extends HttpResponseEncoder {
    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      return msg instanceof NettyClientResponse.Bodyless || super.isContentAlwaysEmpty(msg);
    }
  }
}
