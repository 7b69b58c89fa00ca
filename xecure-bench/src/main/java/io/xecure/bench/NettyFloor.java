package io.xecure.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The floor of our stack (issue 9): what Netty alone, with nothing of Vert.x or of the gateway,
 * costs per request on this machine. One epoll event loop, Netty's HTTP/1.1 codec, a key looked up
 * in a hash set; a request with a known key is passed to the upstream over a keep-alive connection
 * of its own per client connection (no pool, no policy, no event, no header rules), any other is
 * answered 401 with a problem+json body the size of the gateway's. Measured by {@code
 * bench/floor.sh} beside nginx and the gateway; it tells how much a server path of our own on Netty
 * could win at most, before writing one.
 *
 * <pre>
 * java -cp xecure-bench/target/benchmarks.jar io.xecure.bench.NettyFloor PORT UPSTREAM_PORT KEYS_FILE
 * </pre>
 */
public final class NettyFloor {
  private static final byte[] REFUSAL =
      ("{\"type\":\"https://xecure.dev/problems/key_invalid\",\"title\":\"Unauthorized\","
              + "\"status\":401,\"detail\":\"The API key is not valid.\",\"code\":\"key_invalid\","
              + "\"request_id\":\"")
          .getBytes(StandardCharsets.US_ASCII);

  private NettyFloor() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    Set<String> keys = new HashSet<>(Files.readAllLines(Path.of(args[2])));
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", upstreamPort);
    new ServerBootstrap()
        .group(loop)
        .channel(EpollServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new Front(keys, upstream));
              }
            })
        .bind("127.0.0.1", port)
        .sync();
    System.out.println("netty floor on 127.0.0.1:" + port);
  }

  /** The client side: refuses, or relays to this connection's own upstream connection. */
  private static final class Front extends ChannelInboundHandlerAdapter {
    private final Set<String> keys;
    private final InetSocketAddress upstream;

    @SuppressWarnings("NullAway.Init") // set in channelActive, before any read
    private Channel back;

    private boolean relaying;

    Front(Set<String> keys, InetSocketAddress upstream) {
      this.keys = keys;
      this.upstream = upstream;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel front = ctx.channel();
      front.config().setAutoRead(false); // until the upstream connection is up
      back =
          new Bootstrap()
              .group(front.eventLoop())
              .channel(EpollSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline().addLast(new HttpClientCodec(), new Back(front));
                    }
                  })
              .connect(upstream)
              .addListener(
                  (ChannelFutureListener)
                      f -> {
                        if (f.isSuccess()) {
                          front.config().setAutoRead(true);
                        } else {
                          front.close();
                        }
                      })
              .channel();
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        String key = request.headers().get("x-api-key");
        relaying = key != null && keys.contains(key);
        if (!relaying) {
          refuse(ctx, HttpUtil.isKeepAlive(request));
        }
      }
      if (relaying) {
        back.write(msg);
        if (msg instanceof LastHttpContent) {
          back.flush();
        }
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    private static void refuse(ChannelHandlerContext ctx, boolean keepAlive) {
      String id = requestId();
      ByteBuf body = Unpooled.buffer(REFUSAL.length + 24);
      body.writeBytes(REFUSAL).writeCharSequence(id + "\"}", StandardCharsets.US_ASCII);
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED, body);
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
          .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
          .set("x-request-id", id)
          .set(HttpHeaderNames.WWW_AUTHENTICATE, "ApiKey");
      if (keepAlive) {
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      back.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a client resetting its connection, as wrk does at the end of a run
    }
  }

  /** The upstream side: every part of the response straight back to the client. */
  private static final class Back extends ChannelInboundHandlerAdapter {
    private final Channel front;

    Back(Channel front) {
      this.front = front;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpObject) {
        front.write(msg);
        if (msg instanceof LastHttpContent) {
          front.flush();
        }
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      front.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static String requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] digits = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    char[] out = new char[20];
    long a = random.nextLong();
    for (int i = 0; i < 20; i++) {
      out[i] = digits[(int) (a & 31)];
      a = i == 11 ? random.nextLong() : a >>> 5;
    }
    return new String(out);
  }
}
