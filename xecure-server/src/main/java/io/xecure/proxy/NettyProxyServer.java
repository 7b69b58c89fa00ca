package io.xecure.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.xecure.config.LimitsConfig;
import io.xecure.config.ListenConfig;
import io.xecure.net.HeaderBlock;
import io.xecure.net.limits.ConnectionGuard;
import io.xecure.net.limits.ListenerLimits;
import io.xecure.tls.ListenerTls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-plane listener: a server of our own on Netty, on Vert.x's event loops (where the
 * upstream pools are). An HTTP/1.1 connection's pipeline is our {@link StrictRequestDecoder},
 * Netty's response encoder, the {@link ConnectionGuard} and a {@link NettyConnection}. With {@code
 * gateway.tls} a connection begins with the TLS handshake (the listener's {@link ListenerTls}
 * context: protocols, suites, SNI, reloads), whose ALPN choice gives it that HTTP/1.1 pipeline or
 * HTTP/2's: Netty's frame codec, and for each stream a {@link Http2StreamCodec} and a {@link
 * NettyConnection} of its own. In cleartext with {@code gateway.h2c}, a connection that opens with
 * HTTP/2's preface gets HTTP/2's pipeline, any other HTTP/1.1's. Each request goes to the {@link
 * ProxyHandler}: routing, policies, refusals and events.
 */
public final class NettyProxyServer {
  private static final Logger LOG = LoggerFactory.getLogger(NettyProxyServer.class);

  private final VertxInternal vertx;
  private final ListenConfig config;
  private final ProxyHandler handler;
  private final ListenerLimits limits;
  private final @Nullable ListenerTls tls;
  private final HttpServerOptions decoding;
  private final Map<EventLoop, ContextInternal> contexts = new HashMap<>();
  private final Set<NettyConnection> connections = ConcurrentHashMap.newKeySet();

  /** HTTP/2 connections: closing one sends GOAWAY and lets its streams finish. */
  private final Set<Channel> multiplexed = ConcurrentHashMap.newKeySet();

  private volatile boolean closing;
  private @Nullable Channel server;

  public NettyProxyServer(
      Vertx vertx,
      ListenConfig config,
      ProxyHandler handler,
      ListenerLimits limits,
      @Nullable ListenerTls tls) {
    this.vertx = (VertxInternal) vertx;
    this.config = config;
    this.limits = limits;
    this.handler = handler;
    this.tls = tls;
    // the decoder's sizes (max_uri, max_header_size), as Vert.x's options carry them
    this.decoding = limits.apply(new HttpServerOptions());
  }

  public Future<Void> start() {
    if (tls != null) {
      // built here, not on an event loop at the first connection
      tls.context(config.http2());
    }
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
            LOG.info("data plane on port {}: {}", port(), protocols());
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
    if (!limits.admit(channel)) {
      return;
    }
    ContextInternal context = contexts.get(channel.eventLoop());
    if (context == null) {
      channel.close();
      return;
    }
    ListenerTls t = tls;
    if (t == null) {
      if (config.h2c()) {
        channel.pipeline().addLast(new PriorKnowledge(context));
      } else {
        http1(channel, context);
      }
      return;
    }
    SslHandler ssl = t.context(config.http2()).newHandler(channel.alloc());
    // the handshake is part of the head's time
    ssl.setHandshakeTimeout(limits.config().headerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    channel.pipeline().addLast("ssl", ssl).addLast(new ProtocolChoice(context));
  }

  private void http1(Channel channel, ContextInternal context) {
    channel
        .pipeline()
        .addLast(StrictRequestDecoder.NAME, new StrictRequestDecoder(decoding))
        .addLast("httpEncoder", new ResponseEncoder())
        // between the codec and the handler: it sees decoded requests and responses going out
        .addLast(ConnectionGuard.NAME, limits.guard())
        .addLast("handler", new NettyConnection(handler, context, this, tls != null, false));
  }

  private String protocols() {
    if (tls != null) {
      return config.http2() ? "HTTP/2 and HTTP/1.1 over TLS" : "HTTP/1.1 over TLS";
    }
    return config.h2c() ? "HTTP/1.1, and HTTP/2 by prior knowledge (h2c)" : "HTTP/1.1";
  }

  /**
   * HTTP/2 over TLS, or in cleartext by prior knowledge: Netty's frame codec (header validation,
   * flow control, its defences against floods and rapid resets), a stream channel per request, and
   * an idle check at {@code idle_timeout} for the connection ({@link IdleClose}). The connection
   * guard's head and body deadlines are HTTP/1's; an HTTP/2 connection has only the idle one.
   */
  private void http2(Channel channel, ContextInternal context) {
    LimitsConfig l = limits.config();
    Http2FrameCodec codec =
        Http2FrameCodecBuilder.forServer()
            .initialSettings(
                Http2Settings.defaultSettings()
                    .maxConcurrentStreams(100)
                    // room above the limit, so that a head somewhat over it reaches the
                    // stream codec and is answered 431 problem+json; far over it, Netty answers
                    // a bare 431 without decoding it whole
                    .maxHeaderListSize(2L * l.maxHeaderSize()))
            .gracefulShutdownTimeoutMillis(config.shutdownGrace().toMillis())
            .headerSensitivityDetector(NettyProxyServer::unique)
            .build();
    multiplexed.add(channel);
    channel.closeFuture().addListener(f -> multiplexed.remove(channel));
    int maxUri = l.maxUri();
    int maxHeaderSize = l.maxHeaderSize();
    channel
        .pipeline()
        .addLast("idle", new IdleClose(l.idleTimeout().toMillis()))
        .addLast("h2", codec)
        .addLast(
            "streams",
            new Http2MultiplexHandler(
                new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel stream) {
                    stream
                        .pipeline()
                        .addLast("h2codec", new Http2StreamCodec(maxUri, maxHeaderSize))
                        .addLast(
                            "handler",
                            new NettyConnection(
                                handler, context, NettyProxyServer.this, tls != null, true));
                  }
                }))
        .addLast("quiet", new QuietClose());
    if (closing) {
      channel.close();
    }
  }

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
  public Future<Void> shutdown(Duration grace) {
    closing = true;
    Channel s = server;
    if (s != null) {
      s.close();
    }
    for (NettyConnection connection : connections) {
      connection.onLoop(connection::closeWhenIdle);
    }
    // GOAWAY; the codec closes each once its streams are over, or after the grace
    multiplexed.forEach(Channel::close);
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

  /**
   * After the TLS handshake: the connection's pipeline for the protocol ALPN chose (HTTP/1.1 when
   * the client offered none). Records read before it is in place (none are expected) are passed on
   * after. A failed handshake closes the connection, logged at debug: scanners and old clients are
   * no error of the gateway's.
   */
  private final class ProtocolChoice extends ChannelInboundHandlerAdapter {
    private final ContextInternal context;
    private final List<Object> early = new ArrayList<>(1);

    ProtocolChoice(ContextInternal context) {
      this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (!(evt instanceof SslHandshakeCompletionEvent done)) {
        super.userEventTriggered(ctx, evt);
        return;
      }
      if (!done.isSuccess()) {
        LOG.debug("TLS handshake failed", done.cause());
        drop();
        ctx.close();
        return;
      }
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      String protocol = ssl == null ? null : ssl.applicationProtocol();
      Channel channel = ctx.channel();
      ctx.pipeline().remove(this);
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        http2(channel, context);
      } else {
        http1(channel, context);
      }
      // what the handshake's last read decrypted, from behind the TLS handler
      ChannelHandlerContext after = channel.pipeline().context("ssl");
      if (after != null) {
        for (Object msg : early) {
          after.fireChannelRead(msg);
        }
        early.clear();
        after.fireChannelReadComplete();
      }
      drop();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("TLS connection failed", cause);
      drop();
      ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) {
        return;
      }
      drop();
    }

    private void drop() {
      early.forEach(ReferenceCountUtil::release);
      early.clear();
    }
  }

  /**
   * The start of a cleartext connection with {@code gateway.h2c}: HTTP/2 when its first bytes are
   * HTTP/2's connection preface (prior knowledge, RFC 9113 §3.3), HTTP/1.1 from the first byte that
   * differs. An {@code Upgrade: h2c} request is answered in HTTP/1.1 as without h2c: an upgrade
   * would decode its request with another decoder than the strict one. A connection that has not
   * shown which within {@code header_timeout} is closed.
   */
  private final class PriorKnowledge extends ByteToMessageDecoder {
    private final ContextInternal context;
    private final ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
    private @Nullable ScheduledFuture<?> deadline;

    PriorKnowledge(ContextInternal context) {
      this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      deadline =
          ctx.executor()
              .schedule(
                  () -> {
                    ctx.close();
                  },
                  limits.config().headerTimeout().toMillis(),
                  TimeUnit.MILLISECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      int length = Math.min(in.readableBytes(), preface.readableBytes());
      boolean http2 = ByteBufUtil.equals(in, in.readerIndex(), preface, 0, length);
      if (http2 && length < preface.readableBytes()) {
        return;
      }
      Channel channel = ctx.channel();
      if (http2) {
        http2(channel, context);
      } else {
        http1(channel, context);
      }
      // the bytes read so far go on to the protocol's decoder
      ctx.pipeline().remove(this);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
      ScheduledFuture<?> d = deadline;
      if (d != null) {
        d.cancel(false);
      }
      preface.release();
    }
  }

  /**
   * The end of an HTTP/2 connection's pipeline: what fails there (a reset socket, a broken TLS
   * record) closes the connection, logged at debug, as an HTTP/1.1 connection's handler does.
   */
  private static final class QuietClose extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("client connection failed", cause);
      ctx.close();
    }
  }

  /**
   * Response fields whose value differs in nearly every answer: sent as literals, never put in the
   * HPACK table, where each would push out the fields that repeat (content type, problem type) and
   * cost a table search and an eviction per answer. Names as {@link Http2StreamCodec} writes them:
   * lower case.
   */
  private static boolean unique(CharSequence name, CharSequence value) {
    return AsciiString.contentEquals(name, "x-request-id")
        || AsciiString.contentEquals(name, "ratelimit-remaining")
        || AsciiString.contentEquals(name, "ratelimit-reset");
  }

  /**
   * Closes an HTTP/2 connection with nothing read or written for {@code idle_timeout}: a check
   * every quarter of it closes the connection after four quiet quarters in a row, so between one
   * and one and a quarter timeouts after its last frame. A read or a write only sets a flag;
   * Netty's idle handler read the clock and added a listener to every write.
   */
  private static final class IdleClose extends ChannelDuplexHandler {
    private final long quarterNanos;
    private boolean active;
    private int quiet;
    private @Nullable ScheduledFuture<?> check;

    IdleClose(long millis) {
      this.quarterNanos = Math.max(1, TimeUnit.MILLISECONDS.toNanos(millis) / 4);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      check =
          ctx.executor()
              .scheduleAtFixedRate(
                  () -> {
                    if (active) {
                      active = false;
                      quiet = 0;
                    } else if (++quiet >= 4) {
                      ctx.close();
                    }
                  },
                  quarterNanos,
                  quarterNanos,
                  TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      ScheduledFuture<?> c = check;
      if (c != null) {
        c.cancel(false);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      handlerRemoved(ctx);
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      active = true;
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      active = true;
      ctx.write(msg, promise);
    }
  }

  /**
   * Netty's encoder, told that a {@link NettyClientResponse.Bodyless} head has no body, its fields
   * written in one copy ({@link HeaderBlock}).
   */
  private static final class ResponseEncoder extends HttpResponseEncoder {
    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      return msg instanceof NettyClientResponse.Bodyless || super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      HeaderBlock.write(headers, buf);
    }
  }
}
