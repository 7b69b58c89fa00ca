package io.xecure.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.xecure.net.HeaderBlock;
import io.xecure.net.UsualHeaderNames;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 codec of an upstream connection: Netty's request encoder and response decoder,
 * paired as Netty's {@code HttpClientCodec} pairs them (the answer to a HEAD, or a 2xx to a
 * CONNECT, has no body whatever its head says), with a decoder that copies less out of every
 * answer:
 *
 * <ul>
 *   <li>the usual header names ({@link UsualHeaderNames#ANSWERS}), the protocol version, the status
 *       code and its usual reason phrase are constants, where Netty's decoder makes a new string or
 *       {@code AsciiString} of each, for every answer (a tenth of what a proxied request allocated
 *       on the event loop);
 *   <li>the trailers of a chunked answer are dropped as they are read: the gateway relays the body
 *       only, and Netty's decoder made a trailer map for every answer, even one with a length.
 * </ul>
 *
 * Everything else is Netty's decoding, its checks on framing included. Public for its benchmark
 * against Netty's codec ({@code io.xecure.bench.UpstreamDecodingBenchmark}).
 */
public final class UpstreamCodec
    extends CombinedChannelDuplexHandler<
        UpstreamCodec.ResponseDecoder, UpstreamCodec.RequestEncoder> {

  /**
   * Answers' headers decoded into Vert.x's validating maps, the kind the client's answer uses, so
   * that the answer can take an upstream's headers over rather than copy them (Forwarder).
   */
  public static final HttpHeadersFactory VERTX_MAPS =
      new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
          return HeadersMultiMap.httpHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
          return HeadersMultiMap.httpHeaders();
        }
      };

  private static final HttpDecoderConfig DECODING =
      new HttpDecoderConfig()
          .setHeadersFactory(VERTX_MAPS)
          .setTrailersFactory(DroppedTrailers.FACTORY);

  public UpstreamCodec() {
    // the methods of the requests written and not yet answered, oldest first
    ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    init(new ResponseDecoder(methods), new RequestEncoder(methods));
  }

  /**
   * Netty's encoder, noting each request's method for the answer's decoding, its fields written in
   * one copy ({@link HeaderBlock}).
   */
  public static final class RequestEncoder extends HttpRequestEncoder {
    private final ArrayDeque<HttpMethod> methods;

    RequestEncoder(ArrayDeque<HttpMethod> methods) {
      this.methods = methods;
    }

    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
      methods.add(request.method());
      super.encodeInitialLine(buf, request);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      HeaderBlock.write(headers, buf);
    }
  }

  /** Netty's decoder, with constants for what every answer repeats. */
  public static final class ResponseDecoder extends HttpResponseDecoder {
    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String HTTP_1_0 = "HTTP/1.0";
    private static final int FIRST_CODE = 100;
    private static final int LAST_CODE = 599;

    /** "100" to "599", as the status line spells them. */
    private static final String[] CODES = new String[LAST_CODE - FIRST_CODE + 1];

    static {
      for (int code = FIRST_CODE; code <= LAST_CODE; code++) {
        CODES[code - FIRST_CODE] = Integer.toString(code);
      }
    }

    private final ArrayDeque<HttpMethod> methods;

    /** The status code of the line being decoded, or -1 when it is not one of {@link #CODES}. */
    private int code = -1;

    ResponseDecoder(ArrayDeque<HttpMethod> methods) {
      super(DECODING);
      this.methods = methods;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
      int status = ((HttpResponse) message).status().code();
      if (status >= 100 && status < 200 && status != 101) {
        // an interim answer: the request's own is still to come
        return super.isContentAlwaysEmpty(message);
      }
      HttpMethod method = methods.poll();
      if (HttpMethod.HEAD.equals(method)
          || (HttpMethod.CONNECT.equals(method) && status >= 200 && status < 300)) {
        return true;
      }
      return super.isContentAlwaysEmpty(message);
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
      AsciiString known = UsualHeaderNames.ANSWERS.find(sb, start, length);
      return known != null ? known : super.splitHeaderName(sb, start, length);
    }

    @Override
    protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
      code = -1;
      if (same(HTTP_1_1, sb, start, length)) {
        return HTTP_1_1;
      }
      if (same(HTTP_1_0, sb, start, length)) {
        return HTTP_1_0;
      }
      return super.splitFirstWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
      code = -1;
      if (length == 3) {
        int value = 0;
        for (int i = start; i < start + 3; i++) {
          int digit = sb[i] - '0';
          if (digit < 0 || digit > 9) {
            return super.splitSecondWordInitialLine(sb, start, length);
          }
          value = value * 10 + digit;
        }
        if (value >= FIRST_CODE && value <= LAST_CODE) {
          code = value;
          return CODES[value - FIRST_CODE];
        }
      }
      return super.splitSecondWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
      if (code >= 0) {
        // the usual phrase for the code: the status is then Netty's constant as well
        String usual = HttpResponseStatus.valueOf(code).reasonPhrase();
        if (same(usual, sb, start, length)) {
          return usual;
        }
      }
      return super.splitThirdWordInitialLine(sb, start, length);
    }

    private static boolean same(String ascii, byte[] sb, int start, int length) {
      if (ascii.length() != length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if ((sb[start + i] & 0xFF) != ascii.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The trailers of every answer: one map that stays empty. A field the decoder adds is checked as
   * Netty's own trailer map checks it (a malformed one fails the answer, and the connection is not
   * reused), then dropped: the gateway relays an upstream's body, not its trailers ({@code
   * UpstreamConnection}).
   */
  static final class DroppedTrailers extends EmptyHttpHeaders {
    private static final DefaultHttpHeadersFactory NETTY =
        DefaultHttpHeadersFactory.trailersFactory();

    static final DroppedTrailers INSTANCE = new DroppedTrailers();

    static final HttpHeadersFactory FACTORY =
        new HttpHeadersFactory() {
          @Override
          public HttpHeaders newHeaders() {
            return INSTANCE;
          }

          @Override
          public HttpHeaders newEmptyHeaders() {
            return INSTANCE;
          }
        };

    private DroppedTrailers() {}

    @Override
    public HttpHeaders add(String name, Object value) {
      return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
      NETTY.getNameValidator().validateName(name);
      if (value instanceof CharSequence text) {
        NETTY.getValueValidator().validate(text);
      }
      return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
      return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
      for (Object value : values) {
        add(name, value);
      }
      return this;
    }
  }
}
