package io.xecure.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.xecure.net.HeaderBlock;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The header fields of one proxied exchange written into a pooled direct buffer, as the encoders
 * write them: the request as forwarded (the client's fields and the ones the gateway adds) and
 * nginx's answer as relayed. {@code netty} is Netty's field encoding ({@code HttpHeadersEncoder},
 * what both encoders used before), {@code xecure} is {@link HeaderBlock}:
 *
 * <pre>java -jar xecure-bench/target/benchmarks.jar HeaderEncodingBenchmark</pre>
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
public class HeaderEncodingBenchmark {

  /** Netty's field encoding, reached through the encoder that calls it. */
  private static final class NettyFields extends HttpRequestEncoder {
    void write(HttpHeaders headers, ByteBuf buf) {
      encodeHeaders(headers, buf);
    }
  }

  @Param({"netty", "xecure"})
  public String encoder;

  private final NettyFields netty = new NettyFields();
  private final HttpHeaders request = HeadersMultiMap.httpHeaders();
  private final HttpHeaders answer = HeadersMultiMap.httpHeaders();
  private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;

  @Setup
  public void fill() {
    // names as the decoders give them: the usual ones as constants, values as strings
    request.add(new AsciiString("Host"), "127.0.0.1:9000");
    request.add(new AsciiString("User-Agent"), "curl/7.88.1");
    request.add(new AsciiString("Accept"), "*/*");
    request.add("X-Request-Id", "01JEQ8ZK4T7M2N3P5R6S8V9W0X");
    request.add("X-Developer-Id", "dev_7f3a9c2e41b84d0f");
    request.add("X-Developer-Name", "Bench");
    request.add("X-Api-Key-Id", "key_2b8e6f1d9a4c7035");
    request.add("X-Forwarded-For", "127.0.0.1");
    request.add("X-Forwarded-Proto", "http");
    request.add("X-Forwarded-Host", "127.0.0.1:9003");
    request.add("X-Forwarded-Port", "9003");
    answer.add(new AsciiString("Server"), "nginx/1.22.1");
    answer.add(new AsciiString("Date"), "Mon, 07 Dec 2026 18:00:00 GMT");
    answer.add(new AsciiString("Content-Type"), "application/json");
    answer.add(new AsciiString("Content-Length"), "11");
    answer.add(new AsciiString("Connection"), "keep-alive");
    answer.add("X-Request-Id", "01JEQ8ZK4T7M2N3P5R6S8V9W0X");
  }

  @Benchmark
  public int exchange() {
    return write(request) + write(answer);
  }

  private int write(HttpHeaders headers) {
    ByteBuf buf = allocator.directBuffer(256);
    try {
      if (encoder.equals("netty")) {
        netty.write(headers, buf);
      } else {
        HeaderBlock.write(headers, buf);
      }
      return buf.readableBytes();
    } finally {
      buf.release();
    }
  }
}
