package io.xecure.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.xecure.proxy.HeaderBlock;
import java.util.ArrayDeque;
import java.util.List;

/**
 * An upstream connection's HTTP/1.1 codec: Netty's request encoder with the header fields written
 * by {@link HeaderBlock}, and Netty's response decoder told which responses have no body (the
 * answer to HEAD, and 1xx, 204 and 304 as always), by the methods of the requests sent, in order,
 * as Netty's {@code HttpClientCodec} does. The gateway sends no CONNECT upstream.
 */
final class UpstreamCodec
    extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {

  UpstreamCodec() {
    ArrayDeque<HttpMethod> sent = new ArrayDeque<>(2);
    init(new Decoder(sent), new Encoder(sent));
  }

  private static final class Encoder extends HttpRequestEncoder {
    private final ArrayDeque<HttpMethod> sent;

    Encoder(ArrayDeque<HttpMethod> sent) {
      this.sent = sent;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out)
        throws Exception {
      if (msg instanceof HttpRequest request) {
        sent.add(request.method());
      }
      super.encode(ctx, msg, out);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      HeaderBlock.encode(headers, buf);
    }
  }

  private static final class Decoder extends HttpResponseDecoder {
    private final ArrayDeque<HttpMethod> sent;

    Decoder(ArrayDeque<HttpMethod> sent) {
      this.sent = sent;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        // an interim answer: the request still waits for its final one
        return super.isContentAlwaysEmpty(msg);
      }
      HttpMethod method = sent.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }
  }
}
