package io.xecure.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderBlockTest {

  /** Netty's own field encoding, which the gateway's encoders used before. */
  private static final class NettyFields extends HttpRequestEncoder {
    void write(HttpHeaders headers, ByteBuf buf) {
      encodeHeaders(headers, buf);
    }
  }

  private static String ours(HttpHeaders headers) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeBytes(new byte[] {'G', 'E', 'T'}); // the head's line before the fields stays
    HeaderBlock.write(headers, buf);
    return hex(buf);
  }

  private static String netty(HttpHeaders headers) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeBytes(new byte[] {'G', 'E', 'T'});
    new NettyFields().write(headers, buf);
    return hex(buf);
  }

  private static String hex(ByteBuf buf) {
    try {
      return ByteBufUtil.hexDump(buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void writesAnAnswersFieldsAsNettyDoes() {
    HttpHeaders headers = HeadersMultiMap.httpHeaders();
    headers.add(new AsciiString("Server"), "nginx/1.22.1");
    headers.add("Date", "Mon, 07 Dec 2026 18:00:00 GMT");
    headers.add(new AsciiString("Content-Type"), new AsciiString("application/json"));
    headers.add("content-length", "11");
    headers.add("X-Request-Id", new StringBuilder("01JEXAMPLE"));
    headers.add("Set-Cookie", "a=1");
    headers.add("Set-Cookie", "b=2");

    assertThat(ours(headers)).isEqualTo(netty(headers));
    ByteBuf buf = Unpooled.buffer();
    HeaderBlock.write(headers, buf);
    assertThat(buf.toString(StandardCharsets.ISO_8859_1))
        .startsWith("Server: nginx/1.22.1\r\nDate: Mon, 07 Dec 2026 18:00:00 GMT\r\n")
        .endsWith("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n");
    buf.release();
  }

  @Test
  void aCharacterBeyondLatin1IsAQuestionMarkNotItsLowByte() {
    // U+010A's low byte is LF, U+010D's CR: written as their low bytes they would end the field
    HttpHeaders headers = new DefaultHttpHeaders(false);
    headers.add("X-Developer-Name", "Zo\u00eb \u010a\u010dInjected: yes \u674e");

    assertThat(ours(headers)).isEqualTo(netty(headers));
    ByteBuf buf = Unpooled.buffer();
    HeaderBlock.write(headers, buf);
    assertThat(buf.toString(StandardCharsets.ISO_8859_1))
        .isEqualTo("X-Developer-Name: Zo\u00eb ??Injected: yes ?\r\n");
    buf.release();
  }

  @Test
  void aHeadLongerThanTheArrayIsWrittenWhole() {
    HttpHeaders headers = HeadersMultiMap.httpHeaders();
    String long1 = "a".repeat(HeaderBlock.SCRATCH_BYTES / 3);
    for (int i = 0; i < 5; i++) {
      headers.add("X-Long-" + i, long1); // the array fills up part-way through the third
    }
    headers.add("X-Longer-Than-The-Array", "b".repeat(HeaderBlock.SCRATCH_BYTES * 2));
    headers.add("X-After", "c");

    assertThat(ours(headers)).isEqualTo(netty(headers));
  }

  @Test
  void noFieldsWriteNothing() {
    assertThat(ours(HeadersMultiMap.httpHeaders()))
        .isEqualTo(hex(Unpooled.wrappedBuffer("GET".getBytes(StandardCharsets.US_ASCII))));
  }
}
