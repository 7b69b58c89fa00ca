package io.xecure.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.xecure.proxy.upstream.UpstreamCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One upstream exchange through the upstream connection's codec: a GET encoded, then nginx's answer
 * to it (the benchmarks' upstream: five header fields and an 11-byte body) decoded into the
 * messages the gateway reads, in an {@link EmbeddedChannel}. {@code netty} is Netty's {@code
 * HttpClientCodec} as the gateway configured it before {@link UpstreamCodec} (Vert.x's header maps,
 * two-slot trailer maps); {@code xecure} is {@link UpstreamCodec}. Run with {@code -prof gc} for
 * the bytes each allocates per exchange:
 *
 * <pre>java -jar xecure-bench/target/benchmarks.jar UpstreamDecodingBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
@SuppressWarnings("NullAway.Init") // JMH fills the fields in @Setup, before any benchmark call
public class UpstreamDecodingBenchmark {
  private static final byte[] ANSWER =
      ("HTTP/1.1 200 OK\r\n"
              + "Server: nginx/1.22.1\r\n"
              + "Date: Mon, 07 Dec 2026 18:00:00 GMT\r\n"
              + "Content-Type: application/json\r\n"
              + "Content-Length: 11\r\n"
              + "Connection: keep-alive\r\n"
              + "\r\n"
              + "{\"ok\":true}")
          .getBytes(StandardCharsets.US_ASCII);

  @Param({"netty", "xecure"})
  public String codec;

  private EmbeddedChannel channel;
  private ByteBuf answer;

  @Setup
  public void open() {
    ChannelHandler handler =
        codec.equals("netty") ? new HttpClientCodec(BEFORE, false, false) : new UpstreamCodec();
    channel = new EmbeddedChannel(handler);
    answer = Unpooled.directBuffer(ANSWER.length).writeBytes(ANSWER);
  }

  @TearDown
  public void close() {
    channel.finishAndReleaseAll();
    answer.release();
  }

  @Benchmark
  public int exchange() {
    channel.writeOutbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER));
    Object sent;
    while ((sent = channel.readOutbound()) != null) {
      ReferenceCountUtil.release(sent);
    }
    channel.writeInbound(answer.retainedDuplicate());
    int messages = 0;
    Object read;
    while ((read = channel.readInbound()) != null) {
      messages++;
      ReferenceCountUtil.release(read);
    }
    return messages;
  }

  /** The decoding the gateway configured on Netty's HttpClientCodec before UpstreamCodec. */
  private static final HttpDecoderConfig BEFORE =
      new HttpDecoderConfig()
          .setHeadersFactory(UpstreamCodec.VERTX_MAPS)
          .setTrailersFactory(
              new HttpHeadersFactory() {
                @Override
                public HttpHeaders newHeaders() {
                  return new SmallTrailers();
                }

                @Override
                public HttpHeaders newEmptyHeaders() {
                  return new SmallTrailers();
                }
              });

  private static final class SmallTrailers extends DefaultHttpHeaders {
    private static final DefaultHttpHeadersFactory NETTY =
        DefaultHttpHeadersFactory.trailersFactory();

    SmallTrailers() {
      super(NETTY.getNameValidator(), NETTY.getValueValidator(), 2);
    }
  }
}
