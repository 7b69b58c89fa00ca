package io.xecure.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;

/**
 * Vert.x's HTTP/1 request decoder made strict about framing, so that smuggling attempts become a
 * 400 through the invalid-request handler instead of being quietly repaired:
 *
 * <ul>
 *   <li>Content-Length together with Transfer-Encoding: Netty drops the Content-Length and goes on
 *       (RFC 9112 §6.3 allows that); a gateway in front of other parsers must refuse instead.
 *   <li>A malformed first chunk-size line that arrives with the head: Netty would hand the head to
 *       the server first and fail the connection silently later, after routing had begun.
 *   <li>More than one Content-Length on HTTP/1.0 (or an older version): Netty refuses that only
 *       from HTTP/1.1 on; before, it keeps the first value and folds the fields into one, so the
 *       duplicate would be invisible to {@link RequestFraming} while a proxy in front may have
 *       believed the other one. Found by RequestFramingFuzzTest.
 * </ul>
 *
 * Uses Vert.x internals (the decoder class and the pipeline name "httpDecoder"), pinned by the
 * framing tests in ProxyBehaviourTest.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  private static final String DECODER = "httpDecoder";
  private static final int MAX_CHUNK_LINE = 256;

  /** Set once a head is refused: the rest of the connection's bytes are discarded unread. */
  private boolean refused;

  /** Content-Length fields of the head being read, counted before Netty folds them into one. */
  private int contentLengths;

  /** Use {@link #install} on a server; built directly only by the framing fuzz test. */
  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /** Replaces the decoder of a new connection; call from the server's connection handler. */
  static void install(HttpConnection connection, HttpServerOptions options) {
    if (connection instanceof ConnectionBase base) {
      var pipeline = base.channelHandlerContext().pipeline();
      if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
        pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
      }
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    refused = true;
    message.setDecoderResult(
        DecoderResult.failure(
            new IllegalArgumentException("Content-Length with Transfer-Encoding")));
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    contentLengths = 0;
    return super.createMessage(initialLine);
  }

  @Override
  protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
    AsciiString name = super.splitHeaderName(sb, start, length);
    if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
      contentLengths++;
    }
    return name;
  }

  /**
   * Netty reads at most one head per call, after {@link #createMessage} and the {@link
   * #splitHeaderName} of each of its fields, so {@link #contentLengths} is that head's.
   */
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int before = out.size();
    super.decode(ctx, in, out);
    for (int i = before; i < out.size(); i++) {
      if (out.get(i) instanceof HttpRequest request && request.decoderResult().isSuccess()) {
        if (contentLengths > 1) {
          refuse(request, "more than one Content-Length");
        } else if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
            && !firstChunkLineValid(in)) {
          refuse(request, "invalid chunk size");
        }
      }
    }
  }

  private void refuse(HttpRequest request, String reason) {
    refused = true;
    request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(reason)));
  }

  /** Whether the chunk-size line at the reader index is valid, or not complete yet. */
  private static boolean firstChunkLineValid(ByteBuf in) {
    int start = in.readerIndex();
    int end = Math.min(in.writerIndex(), start + MAX_CHUNK_LINE);
    int digits = 0;
    for (int i = start; i < end; i++) {
      byte b = in.getByte(i);
      if (b == '\r' || b == '\n' || b == ';' || b == ' ' || b == '\t') {
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
