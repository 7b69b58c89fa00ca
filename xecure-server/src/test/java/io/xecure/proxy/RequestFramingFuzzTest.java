package io.xecure.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes what the gateway makes of the bytes of a connection: the HTTP/1 decoder the proxy
 * installs, then {@link RequestFraming}, the two steps a request passes before it is handled. The
 * seam is the decoder in an {@link EmbeddedChannel}, so the test depends only on what comes out of
 * it: request heads, each successful or refused.
 *
 * <p>For any bytes, fed at once and in small writes: nothing throws out of the pipeline; a request
 * is accepted (decoded and passed by RequestFraming) only if its framing is unambiguous, judged
 * both on the headers as decoded and, for the first request, on the raw header lines (so that a
 * decoder that quietly drops or merges a Content-Length or a Transfer-Encoding is caught); nothing
 * is decoded as a request after the decoder refused one.
 *
 * <p>Every build replays {@code src/test/resources/io/xecure/proxy/
 * RequestFramingFuzzTestInputs/decode/}; {@code scripts/fuzz.sh} fuzzes it.
 */
class RequestFramingFuzzTest {

  @FuzzTest
  void decode(byte[] input) {
    check(input, decode(input, input.length));
    check(input, decode(input, 1 + (input.length & 7)));
  }

  /** What one connection carrying {@code input}, in writes of {@code piece} bytes, decodes to. */
  private static List<Head> decode(byte[] input, int piece) {
    EmbeddedChannel channel =
        new EmbeddedChannel(new StrictRequestDecoder(new HttpServerOptions()));
    List<Head> heads = new ArrayList<>();
    try {
      for (int at = 0; at < input.length; at += piece) {
        // writeInbound rethrows whatever escaped the decoder: the fuzz test fails on it
        channel.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(piece, input.length - at)));
        for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
          heads.add(Head.of(m));
          ReferenceCountUtil.release(m);
        }
      }
    } finally {
      channel.finishAndReleaseAll();
    }
    return heads;
  }

  private static void check(byte[] input, List<Head> decoded) {
    boolean refused = false;
    for (Head head : decoded) {
      if (head.request && head.success) {
        assertThat(refused).as("a request decoded after a refused one").isFalse();
        if (head.ambiguous()) {
          assertThat(head.accepted()).as("ambiguous framing accepted: %s", head).isFalse();
        }
      }
      refused |= !head.success;
    }
    RawHead raw = RawHead.parse(input);
    @Nullable Head first = decoded.stream().filter(h -> h.request).findFirst().orElse(null);
    if (raw == null) {
      assertThat(first == null || !first.accepted()).as("accepted an incomplete head").isTrue();
    } else if (raw.ambiguous() && first != null) {
      assertThat(first.accepted()).as("raw framing ambiguous, accepted: %s", raw).isFalse();
    }
  }

  /** One decoded message: a request head or a piece of content, and whether it decoded. */
  private record Head(boolean request, boolean success, MultiMap headers) {
    static Head of(Object message) {
      boolean success =
          !(message instanceof DecoderResultProvider p) || p.decoderResult().isSuccess();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      if (message instanceof HttpRequest r) {
        for (Map.Entry<String, String> e : r.headers()) {
          headers.add(e.getKey(), e.getValue());
        }
      }
      return new Head(message instanceof HttpRequest, success, headers);
    }

    /** What the proxy would handle: the decoder applies RequestFraming as it reads the head. */
    boolean accepted() {
      return request && success;
    }

    boolean ambiguous() {
      return Framing.ambiguous(
          headers.getAll("transfer-encoding"), headers.getAll("content-length"));
    }
  }

  /** SPEC §5 "Framing", written out independently of RequestFraming. */
  private static final class Framing {
    private Framing() {}

    static boolean ambiguous(List<String> te, List<String> cl) {
      return (!te.isEmpty() && !cl.isEmpty())
          || te.size() > 1
          || cl.size() > 1
          || (te.size() == 1 && !te.get(0).strip().equalsIgnoreCase("chunked"))
          || (cl.size() == 1 && !cl.get(0).strip().matches("[0-9]{1,18}"));
    }
  }

  /**
   * The framing header lines of the first request head as a lenient reader would take them: any of
   * CR, LF or CRLF ends a line, names are trimmed and compared case-insensitively, an obs-fold line
   * continues the value before it.
   */
  private record RawHead(List<String> te, List<String> cl) {
    boolean ambiguous() {
      return Framing.ambiguous(te, cl);
    }

    /** Null when the input holds no complete head. */
    static @Nullable RawHead parse(byte[] input) {
      String text = new String(input, StandardCharsets.ISO_8859_1);
      int at = 0;
      while (at < text.length() && (text.charAt(at) <= ' ' || text.charAt(at) == 0x7F)) {
        at++;
      }
      List<String> lines = new ArrayList<>();
      boolean complete = false;
      while (at < text.length()) {
        int end = at;
        while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
          end++;
        }
        if (end == text.length()) {
          break; // a line without its end
        }
        String line = text.substring(at, end);
        at = end + (text.startsWith("\r\n", end) ? 2 : 1);
        if (line.isEmpty() && !lines.isEmpty()) {
          complete = true;
          break;
        }
        lines.add(line);
      }
      if (!complete) {
        return null;
      }
      List<String> te = new ArrayList<>();
      List<String> cl = new ArrayList<>();
      @Nullable List<String> last = null;
      for (int n = 1; n < lines.size(); n++) {
        String line = lines.get(n);
        // obs-fold (RFC 9112 §5.2): part of the field before it, which may not be a framing one;
        // on the first field line there is nothing to continue, and Netty reads a field
        if (n > 1 && (line.startsWith(" ") || line.startsWith("\t"))) {
          if (last != null) {
            int i = last.size() - 1;
            last.set(i, last.get(i) + " " + line.strip());
          }
          continue;
        }
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon).strip();
        String value = colon < 0 ? "" : line.substring(colon + 1).strip();
        last =
            switch (name.toLowerCase(Locale.ROOT)) {
              case "transfer-encoding" -> te;
              case "content-length" -> cl;
              default -> null;
            };
        if (last != null) {
          last.add(value);
        }
      }
      return new RawHead(te, cl);
    }
  }
}
