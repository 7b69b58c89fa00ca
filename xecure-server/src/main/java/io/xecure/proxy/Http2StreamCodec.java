package io.xecure.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/2 stream's frames as the HTTP messages a {@link NettyConnection} reads and writes.
 * Netty's codec does the body, the trailers and the whole response; the request's head is built
 * here, into the header map the policies read, without the extension headers Netty's conversion
 * adds (they would reach the upstream): the pseudo-headers become the method and target, {@code
 * :authority} the {@code Host}, the cookie fields one {@code Cookie} (RFC 9113 §8.2.3), and a body
 * that is neither empty nor of a declared length is marked chunked, so the proxy streams it. A
 * request whose header fields are over {@code max_header_size} (counted as HTTP/1.1 counts them) or
 * whose target is over {@code max_uri} is decoded as failed: the proxy answers it 431 or 414 on its
 * stream. A field value with NUL, CR or LF resets the stream.
 */
final class Http2StreamCodec extends Http2StreamFrameToHttpObjectCodec {
  private final int maxUri;
  private final int maxHeaderSize;

  Http2StreamCodec(int maxUri, int maxHeaderSize) {
    super(true, true);
    this.maxUri = maxUri;
    this.maxHeaderSize = maxHeaderSize;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out)
      throws Exception {
    if (frame instanceof Http2HeadersFrame head && head.headers().method() != null) {
      out.add(request(head));
      return;
    }
    super.decode(ctx, frame, out);
  }

  private HttpRequest request(Http2HeadersFrame frame) throws Http2Exception {
    Http2Headers in = frame.headers();
    int id = frame.stream() == null ? 0 : frame.stream().id();
    CharSequence method = in.method();
    CharSequence authority = in.authority();
    CharSequence path =
        HttpMethod.CONNECT.asciiName().contentEquals(method) ? authority : in.path();
    if (method == null || path == null) {
      throw Http2Exception.streamError(
          id, Http2Error.PROTOCOL_ERROR, "a request needs :method and :path");
    }
    HeadersMultiMap headers = HeadersMultiMap.httpHeaders();
    @Nullable StringBuilder cookies = null;
    boolean host = false;
    // counted as HTTP/1.1 counts a head's fields: "name: value" and its line end
    int size = 0;
    HttpMethod m;
    try {
      m = HttpMethod.valueOf(method.toString());
      for (Map.Entry<CharSequence, CharSequence> e : in) {
        CharSequence name = e.getKey();
        if (name.length() > 0 && name.charAt(0) == ':') {
          continue;
        }
        size += name.length() + e.getValue().length() + 4;
        if (!fieldValue(e.getValue())) {
          // RFC 9113 §8.2.1; the codec checks names, connection-specific fields and TE, not values
          throw Http2Exception.streamError(
              id, Http2Error.PROTOCOL_ERROR, "a field value holds NUL, CR or LF");
        }
        if (HttpHeaderNames.COOKIE.contentEqualsIgnoreCase(name)) {
          cookies = cookies == null ? new StringBuilder() : cookies.append("; ");
          cookies.append(e.getValue());
          continue;
        }
        if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
          host = true;
        }
        headers.add(name, e.getValue());
      }
      if (cookies != null) {
        headers.add(HttpHeaderNames.COOKIE, cookies.toString());
      }
      if (!host && authority != null) {
        headers.add(HttpHeaderNames.HOST, authority);
      }
      if (!frame.isEndStream() && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        headers.add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    } catch (IllegalArgumentException e) {
      // a method, name or value that is no token or holds a control character
      throw Http2Exception.streamError(id, Http2Error.PROTOCOL_ERROR, "a header is malformed");
    }
    String uri = path.toString();
    HttpRequest request =
        frame.isEndStream()
            ? new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                m,
                uri,
                Unpooled.EMPTY_BUFFER,
                headers,
                EmptyHttpHeaders.INSTANCE)
            : new DefaultHttpRequest(HttpVersion.HTTP_1_1, m, uri, headers);
    if (size > maxHeaderSize) {
      request.setDecoderResult(
          DecoderResult.failure(
              new TooLongHttpHeaderException(
                  "the header fields are over " + maxHeaderSize + " bytes")));
    } else if (uri.length() > maxUri) {
      request.setDecoderResult(
          DecoderResult.failure(
              new TooLongHttpLineException("the request target is over " + maxUri + " bytes")));
    }
    return request;
  }

  /** Whether {@code value} may be an HTTP/2 field value: no NUL, CR or LF (RFC 9113 §8.2.1). */
  static boolean fieldValue(CharSequence value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }
}
