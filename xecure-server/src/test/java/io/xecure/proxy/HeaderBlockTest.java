package io.xecure.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link HeaderBlock} writes exactly the bytes Netty's own encoder writes. */
class HeaderBlockTest {

  /** The head Netty's request encoder writes for {@code headers}. */
  private static String netty(HttpHeaders headers) {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestEncoder());
    channel.writeOutbound(
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", headers));
    StringBuilder out = new StringBuilder();
    for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    channel.finishAndReleaseAll();
    String head = out.toString();
    return head.substring(head.indexOf("\r\n") + 2, head.length() - 2);
  }

  private static String ours(HttpHeaders headers) {
    ByteBuf buf = Unpooled.buffer(16);
    HeaderBlock.encode(headers, buf);
    String s = buf.toString(StandardCharsets.ISO_8859_1);
    buf.release();
    return s;
  }

  @Test
  void writesWhatNettysEncoderWrites() {
    HeadersMultiMap headers = HeadersMultiMap.httpHeaders();
    headers.add(AsciiString.of("Content-Type"), AsciiString.of("application/json"));
    headers.add("X-Request-Id", "r123");
    headers.add("X-Developer-Name", "Zoë 名");
    headers.add("Empty", "");
    headers.add("Set-Cookie", "a=1");
    headers.add("Set-Cookie", "b=2");

    assertThat(ours(headers)).isEqualTo(netty(headers));
    assertThat(ours(headers))
        .startsWith("Content-Type: application/json\r\nX-Request-Id: r123\r\n")
        .contains("X-Developer-Name: Zo\u00eb ?\r\n")
        .endsWith("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n");
  }

  @Test
  void fieldsLongerThanTheScratchAndManyOfThemArriveWhole() {
    HeadersMultiMap headers = HeadersMultiMap.httpHeaders();
    headers.add("X-Long", "v".repeat(10_000));
    for (int i = 0; i < 500; i++) {
      headers.add("X-Field-" + i, "value-" + i);
    }
    headers.add("X-Last", "w".repeat(70_000));

    assertThat(ours(headers)).isEqualTo(netty(headers)).hasSizeGreaterThan(90_000);
    assertThat(ours(HeadersMultiMap.httpHeaders())).isEmpty();
  }
}
