package io.xecure.tls;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.xecure.config.LimitsConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.TestCertificates;
import io.xecure.testing.TestCertificates.Ca;
import io.xecure.testing.TestCertificates.Issued;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 requests a well-behaved client cannot send, from a raw client on Netty's codec with its
 * checks off: the HTTP/1.1 upstream must never receive a request the client did not frame, nor a
 * field it could read as two. Each is refused on its stream; the connection serves on.
 */
class Http2SmugglingTest {
  private static final String SMUGGLED =
      "0\r\n\r\nGET /users/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;
  static EventLoopGroup group;
  static SslContext tls;

  @BeforeAll
  static void start() throws Exception {
    Ca ca = TestCertificates.ca(dir, "ca");
    Issued edge = ca.issue(dir, "edge", "localhost");
    upstream = new EchoUpstream();
    gw =
        GatewayHarness.overTls(
            dir, List.of(api("users", "/users", upstream.url())), edge, LimitsConfig.DEFAULT);
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
    tls =
        SslContextBuilder.forClient()
            .trustManager(ca.certFile().toFile())
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2))
            .build();
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  /** A new HTTP/2 connection to the gateway, its checks off. */
  private static Channel connect() throws Exception {
    int port = gw.port();
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(tls.newHandler(ch.alloc(), "localhost", port))
                    .addLast(Http2FrameCodecBuilder.forClient().validateHeaders(false).build())
                    .addLast(
                        new Http2MultiplexHandler(
                            new SimpleChannelInboundHandler<Object>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, Object m) {}
                            }));
              }
            })
        .connect("127.0.0.1", port)
        .sync()
        .channel();
  }

  @AfterAll
  static void stop() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    gw.close();
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  /** One request on a new connection, as {@link #exchange(Channel, Http2Headers, String)}. */
  private static String exchange(Http2Headers headers, @Nullable String body) throws Exception {
    Channel connection = connect();
    try {
      return exchange(connection, headers, body);
    } finally {
      connection.close();
    }
  }

  /**
   * One request on a new stream of {@code connection}: "status N" for an answer, "reset" for a
   * stream reset, "closed" when the stream ended without either (the connection closed).
   */
  private static String exchange(Channel connection, Http2Headers headers, @Nullable String body)
      throws Exception {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    Http2StreamChannel stream =
        new Http2StreamChannelBootstrap(connection)
            .handler(
                new SimpleChannelInboundHandler<Http2StreamFrame>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
                    if (frame instanceof Http2HeadersFrame head
                        && head.headers().status() != null) {
                      outcome.complete("status " + head.headers().status());
                    }
                  }

                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    // a reset arrives as an event, not a read
                    if (event instanceof Http2ResetFrame) {
                      outcome.complete("reset");
                    }
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    outcome.complete("closed");
                  }
                })
            .open()
            .sync()
            .getNow();
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, body == null)).sync();
    if (body != null) {
      // not waited for: the gateway may reset the stream on its head alone
      stream.writeAndFlush(
          new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII), true));
    }
    return outcome.get(10, TimeUnit.SECONDS);
  }

  private static Http2Headers request(String method, String path) {
    return new DefaultHttp2Headers(false)
        .method(method)
        .path(path)
        .scheme("https")
        .authority("localhost:" + gw.port())
        .add("x-api-key", key);
  }

  @Test
  void theControlIsAnswered() throws Exception {
    assertThat(exchange(request("POST", "/users/control"), "{}")).isEqualTo("status 200");
    assertThat(upstream.last().uri()).isEqualTo("/users/control");
  }

  @Test
  void transferEncodingIsRefused() throws Exception {
    Http2Headers headers = request("POST", "/users/te").add("transfer-encoding", "chunked");
    assertThat(exchange(headers, SMUGGLED)).isEqualTo("reset");
    assertThat(upstream.received()).noneMatch(r -> r.uri().startsWith("/users/te"));
    assertThat(upstream.received()).noneMatch(r -> r.uri().contains("smuggled"));
  }

  @Test
  void aBodyBeyondItsContentLengthNeverReachesTheUpstream() throws Exception {
    Http2Headers headers = request("POST", "/users/cl").add("content-length", "0");
    // the head may go up (its length was 0), and even be answered, before the excess DATA
    // resets the stream: what matters is that the body never follows it
    exchange(headers, SMUGGLED);
    // let it arrive, so that no later test sees it, then look at what did
    long until = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < until
        && upstream.received().stream().noneMatch(r -> r.uri().equals("/users/cl"))) {
      Thread.sleep(20);
    }
    assertThat(upstream.received()).noneMatch(r -> r.uri().contains("smuggled"));
    assertThat(upstream.received()).allMatch(r -> r.body().length() == 0);
  }

  @Test
  void aFieldValueWithALineBreakIsRefused() throws Exception {
    for (String value : List.of("a\r\nx-injected: 1", "a\r\n folded", "a\nb", "a\u0000b")) {
      Http2Headers headers = request("GET", "/users/value").add("x-note", value);
      assertThat(exchange(headers, null)).as(value).isEqualTo("reset");
    }
    assertThat(upstream.received()).noneMatch(r -> r.uri().startsWith("/users/value"));
  }

  @Test
  void connectionSpecificFieldsAndUppercaseNamesAreRefused() throws Exception {
    Channel connection = connect();
    for (String[] field :
        List.of(
            new String[] {"connection", "keep-alive"},
            new String[] {"upgrade", "websocket"},
            new String[] {"te", "gzip"},
            new String[] {"X-Upper", "1"})) {
      Http2Headers headers = request("GET", "/users/field").add(field[0], field[1]);
      assertThat(exchange(connection, headers, null)).as(field[0]).isEqualTo("reset");
    }
    assertThat(upstream.received()).noneMatch(r -> r.uri().startsWith("/users/field"));
    assertThat(exchange(connection, request("GET", "/users/after"), null))
        .as("the connection serves on")
        .isEqualTo("status 200");
    connection.close();
  }
}
