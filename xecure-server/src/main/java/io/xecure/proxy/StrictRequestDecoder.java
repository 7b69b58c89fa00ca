package io.xecure.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
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

  private StrictRequestDecoder(HttpServerOptions options) {
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
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int before = out.size();
    super.decode(ctx, in, out);
    for (int i = before; i < out.size(); i++) {
      if (out.get(i) instanceof HttpRequest request
          && request.decoderResult().isSuccess()
          && request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
          && !firstChunkLineValid(in)) {
        refused = true;
        request.setDecoderResult(
            DecoderResult.failure(new IllegalArgumentException("invalid chunk size")));
      }
    }
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
