package io.xecure.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.xecure.net.UsualHeaderNames;
import io.xecure.net.limits.HeadDecoder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Vert.x's HTTP/1 request decoder made strict about framing, so that a smuggling attempt fails to
 * decode, reaches the invalid-request handler as a 400, and nothing after it on the connection is
 * read as a request:
 *
 * <ul>
 *   <li>each head's header map checks its framing fields as they are parsed ({@link
 *       RequestFraming}), where Netty would quietly repair them (drop a Content-Length next to
 *       chunked on HTTP/1.1, keep the first of two on HTTP/1.0, read {@code chunk} or a list ending
 *       in chunked as chunked, read {@code identity} as no body);
 *   <li>an obs-fold continuation line (RFC 9112 §5.2), which Netty joins to the previous field
 *       while a proxy in front may read it as a field of its own;
 *   <li>a malformed first chunk-size line that arrives with the head: Netty would hand the head to
 *       the server first and fail the connection later, after routing had begun.
 * </ul>
 *
 * After a refused head the rest of the connection's bytes are discarded unread; the connection is
 * closed once the refusal is written. Bare LF line ends are already refused by Netty's strict line
 * parsing. Uses Vert.x internals (the decoder class, the header map's validator and the pipeline
 * name "httpDecoder"), pinned by RequestFramingProxyTest.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder implements HeadDecoder {
  /** The decoder's name in a pipeline, where the connection guard looks for it. */
  static final String NAME = "httpDecoder";

  private static final int MAX_CHUNK_LINE = 256;

  /** Set once a head is refused: the rest of the connection's bytes are discarded unread. */
  private boolean refused;

  /** The head being decoded, once its request line is read. */
  private @Nullable DefaultHttpRequest partial;

  /** The framing rules of the head being decoded. */
  private @Nullable RequestFraming framing;

  /** Whether the next bytes belong to a head, and what the head scan has seen of them. */
  private boolean inHead = true;

  private boolean requestLineStarted;
  private boolean afterLineFeed;
  private boolean folded;

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    HttpVersion version = HttpVersion.valueOf(initialLine[2]);
    RequestFraming rules = new RequestFraming(version.equals(HttpVersion.HTTP_1_0));
    framing = rules;
    DefaultHttpRequest head =
        new DefaultHttpRequest(
            version,
            HttpMethod.valueOf(initialLine[0]),
            initialLine[1],
            HeadersMultiMap.httpHeaders(rules));
    partial = head;
    return head;
  }

  /**
   * The usual names as constants ({@link UsualHeaderNames#REQUESTS}), where the decoder would make
   * a new name of every field; the client's spelling is kept either way.
   */
  @Override
  protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
    AsciiString known = UsualHeaderNames.REQUESTS.find(sb, start, length);
    return known != null ? known : super.splitHeaderName(sb, start, length);
  }

  @Override
  public @Nullable DefaultHttpRequest partialHead() {
    return partial;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int from = in.readerIndex();
    int before = out.size();
    super.decode(ctx, in, out);
    if (inHead) {
      scanHead(in, from, in.readerIndex());
    }
    for (int i = before; i < out.size(); i++) {
      Object message = out.get(i);
      if (message instanceof HttpRequest request) {
        headDecoded(request, in);
      } else if (message instanceof LastHttpContent) {
        inHead = true;
      }
    }
  }

  private void headDecoded(HttpRequest request, ByteBuf in) {
    partial = null;
    RequestFraming rules = framing;
    if (rules != null) {
      rules.headDecoded();
      framing = null;
    }
    if (request.decoderResult().isSuccess()) {
      if (folded) {
        refuse(request, "A header field is folded over more than one line.");
      } else if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
          && !firstChunkLineValid(in)) {
        refuse(request, "Invalid chunk size.");
      }
    }
    if (!request.decoderResult().isSuccess()) {
      refused = true;
    }
    inHead = false;
    requestLineStarted = false;
    afterLineFeed = false;
    folded = false;
  }

  private static void refuse(HttpRequest request, String reason) {
    request.setDecoderResult(DecoderResult.failure(new RequestFraming.Refused(reason)));
  }

  /**
   * Looks for a line feed followed by a space or tab in the bytes of a head, once its request line
   * has begun (Netty skips blank lines before it): an obs-fold, or white space before the first
   * field; both are refused (RFC 9112 §2.2, §5.2).
   */
  private void scanHead(ByteBuf in, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (!requestLineStarted) {
        requestLineStarted = (b & 0xFF) > ' ' && b != 0x7F;
      } else if (afterLineFeed && (b == ' ' || b == '\t')) {
        folded = true;
      }
      afterLineFeed = b == '\n';
    }
  }

  /**
   * Whether the chunk-size line at the reader index is valid so far: hex digits, then an extension,
   * white space or CRLF; a bare LF is refused as in the head.
   */
  private static boolean firstChunkLineValid(ByteBuf in) {
    int start = in.readerIndex();
    int end = Math.min(in.writerIndex(), start + MAX_CHUNK_LINE);
    int digits = 0;
    for (int i = start; i < end; i++) {
      byte b = in.getByte(i);
      if (b == '\r' || b == ';' || b == ' ' || b == '\t') {
        return digits > 0;
      }
      if (Character.digit(b, 16) < 0) {
        return false;
      }
      digits++;
    }
    return end - start < MAX_CHUNK_LINE;
  }
}
