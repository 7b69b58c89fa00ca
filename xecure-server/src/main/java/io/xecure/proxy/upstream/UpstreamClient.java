package io.xecure.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.xecure.tls.UpstreamTls;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Hands each request a keep-alive connection to its upstream from the pool of the event loop the
 * request runs on (see the package's description). Must be called on a Vert.x event loop.
 */
public final class UpstreamClient implements AutoCloseable {
  /** Requests that may wait for a connection per loop and upstream before 502s begin. */
  private static final int MAX_WAITING = 10_000;

  private record Key(URI upstream, @Nullable String ca) {}

  private final Bootstrap base;
  private final UpstreamTls tls;
  private final int maxPerLoop;
  private final Map<EventLoop, Map<Key, LoopPool>> pools = new ConcurrentHashMap<>();

  /** This loop's pools, found without a shared map on every request. */
  private final FastThreadLocal<Map<Key, LoopPool>> local =
      new FastThreadLocal<>() {
        @Override
        protected Map<Key, LoopPool> initialValue() {
          ContextInternal context =
              (ContextInternal) Objects.requireNonNull(Vertx.currentContext());
          return pools.computeIfAbsent(context.nettyEventLoop(), l -> new HashMap<>());
        }
      };

  /**
   * @param maxConnections connections to each upstream, shared out among the event loops
   */
  public UpstreamClient(Vertx vertx, int maxConnections, UpstreamTls tls) {
    VertxInternal internal = (VertxInternal) vertx;
    int loops = Math.max(1, countLoops(internal));
    this.maxPerLoop = Math.max(1, (maxConnections + loops - 1) / loops);
    this.tls = tls;
    this.base =
        new Bootstrap()
            .channelFactory(internal.transport().channelFactory(false))
            .resolver(internal.nameResolver().nettyAddressResolverGroup())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true);
  }

  private static int countLoops(VertxInternal vertx) {
    int n = 0;
    for (var ignored : vertx.nettyEventLoopGroup()) {
      n++;
    }
    return n;
  }

  /**
   * Starts {@code call} towards {@code upstream} (http or https; {@code ca} names the trust for
   * https, null for the system's), with {@code timeoutNanos} both to connect (or wait for a free
   * connection) and between bytes of the response.
   */
  public void request(URI upstream, @Nullable String ca, long timeoutNanos, UpstreamCall call) {
    Map<Key, LoopPool> mine = local.get();
    Key key = new Key(upstream, ca);
    LoopPool pool = mine.get(key);
    if (pool == null) {
      ContextInternal context = (ContextInternal) Objects.requireNonNull(Vertx.currentContext());
      pool = open(context.nettyEventLoop(), upstream, ca);
      mine.put(key, pool);
    }
    pool.acquire(call, timeoutNanos);
  }

  private LoopPool open(EventLoop loop, URI upstream, @Nullable String ca) {
    boolean https = "https".equalsIgnoreCase(upstream.getScheme());
    int port = upstream.getPort() > 0 ? upstream.getPort() : (https ? 443 : 80);
    SslContext context = https ? tls.context(ca) : null;
    return new LoopPool(
        loop,
        base,
        Objects.requireNonNull(upstream.getHost()),
        port,
        context,
        maxPerLoop,
        MAX_WAITING);
  }

  /** Closes every idle connection; requests in flight finish or fail on their own. */
  @Override
  public void close() {
    pools.forEach((loop, mine) -> loop.execute(() -> mine.values().forEach(LoopPool::close)));
  }
}
