package io.xecure.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.xecure.net.HeaderNames;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * stream. A field value with NUL, CR or LF resets the stream. A response's head is converted here
 * too: Netty's conversion sized its output by the header map's {@code size()}, which Vert.x's map
 * answers by sorting its names, a cost on every stream's answer.
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

  @Override
  protected void encode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out)
      throws Exception {
    if (!(msg instanceof HttpResponse response)
        || (msg instanceof LastHttpContent last && !last.trailingHeaders().isEmpty())) {
      super.encode(ctx, msg, out);
      return;
    }
    Http2Headers headers = head(response);
    int code = response.status().code();
    if (code < 200 && code != 101) {
      // 100 Continue: a HEADERS frame that does not end the stream
      out.add(new DefaultHttp2HeadersFrame(headers, false));
      return;
    }
    boolean whole =
        msg instanceof FullHttpMessage full
            && !full.content().isReadable()
            && full.trailingHeaders().isEmpty();
    out.add(new DefaultHttp2HeadersFrame(headers, whole));
    if (msg instanceof LastHttpContent last && last.content().isReadable()) {
      // retained: the encoder releases the message once this returns
      out.add(new DefaultHttp2DataFrame(last.content().retain(), true));
    }
  }

  /**
   * A response head as HTTP/2 fields: the status, and every header but the connection-specific ones
   * (RFC 9113 §8.2.2) and those its {@code Connection} header names, in lower case. Validated as
   * Netty validates them.
   */
  static Http2Headers head(HttpResponse response) {
    io.netty.handler.codec.http.HttpHeaders in = response.headers();
    Set<String> named = ForwardHeaders.connectionNamed(in.get(HttpHeaderNames.CONNECTION));
    Http2Headers out = new DefaultHttp2Headers(true);
    out.status(response.status().codeAsText());
    Iterator<Map.Entry<CharSequence, CharSequence>> fields = in.iteratorCharSequence();
    while (fields.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = fields.next();
      AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
      if (!connectionSpecific(name)
          && (named.isEmpty() || !named.contains(HeaderNames.normalise(name.toString())))) {
        out.add(name, field.getValue());
      }
    }
    return out;
  }

  private static boolean connectionSpecific(AsciiString name) {
    return HttpHeaderNames.CONNECTION.contentEquals(name)
        || HttpHeaderNames.KEEP_ALIVE.contentEquals(name)
        || HttpHeaderNames.PROXY_CONNECTION.contentEquals(name)
        || HttpHeaderNames.TRANSFER_ENCODING.contentEquals(name)
        || HttpHeaderNames.UPGRADE.contentEquals(name)
        || HttpHeaderNames.TE.contentEquals(name);
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
        // HTTP/2 names are lower case (the frame codec refuses others): compared exactly
        if (HttpHeaderNames.COOKIE.contentEquals(name)) {
          cookies = cookies == null ? new StringBuilder() : cookies.append("; ");
          cookies.append(e.getValue());
          continue;
        }
        if (HttpHeaderNames.HOST.contentEquals(name)) {
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
