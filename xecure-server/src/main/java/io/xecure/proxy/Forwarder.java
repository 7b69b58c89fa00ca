package io.xecure.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.buffer.BufferInternal;
import io.xecure.pipeline.ClientRequest;
import io.xecure.pipeline.ClientResponse;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.OutboundRequest;
import io.xecure.pipeline.PolicyChain;
import io.xecure.problem.ProblemCode;
import io.xecure.proxy.upstream.UpstreamCall;
import io.xecure.proxy.upstream.UpstreamClient;
import io.xecure.proxy.upstream.UpstreamConnection;
import io.xecure.tls.UpstreamTls;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The end of the pipeline: a streaming reverse proxy over pooled keep-alive connections, one pool
 * per event loop and upstream ({@link UpstreamClient}). Bodies stream both ways with back-pressure,
 * unless a policy buffered the request body; a response whose body arrives with its head is written
 * to the client in one piece. Upstream failures become 502 upstream_unavailable, timeouts 504
 * upstream_timeout; once the response has started, a failure can only reset the client connection.
 */
public final class Forwarder implements PolicyChain.Terminal, AutoCloseable {
  // as bytes: Netty's encoder copies an AsciiString whole where it writes a String char by char
  private static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
  private static final AsciiString PRIVATE = AsciiString.cached("private");

  private final UpstreamClient client;

  /**
   * @param poolSize connections kept to each upstream (host and port)
   */
  public Forwarder(Vertx vertx, int poolSize) {
    this.client = new UpstreamClient(vertx, poolSize, new UpstreamTls());
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public Future<Void> forward(Exchange exchange) {
    URI upstream = exchange.route().nextUpstream();
    Call call = new Call(exchange, upstream);
    // a client that leaves, or a refusal of the rest, while the call waits or runs ends it
    exchange.response().closeHandler(v -> call.abort());
    exchange.onAbort(call::abort);
    try {
      client.request(
          upstream,
          exchange.route().api().upstreamCa(),
          TimeUnit.MILLISECONDS.toNanos(exchange.route().api().timeout().toMillis()),
          call);
    } catch (RuntimeException e) {
      call.failed(e, false);
    }
    return call.done.future();
  }

  /** One request's upstream exchange, from the connection to the last byte relayed. */
  private static final class Call implements UpstreamCall {
    private final Exchange exchange;
    private final URI upstream;
    private final ClientRequest request;
    private final ClientResponse response;
    private final long start = System.nanoTime();
    final Promise<Void> done = Promise.promise();
    private @Nullable UpstreamConnection connection;
    private boolean streaming;
    private boolean relaying;
    private boolean over;

    Call(Exchange exchange, URI upstream) {
      this.exchange = exchange;
      this.upstream = upstream;
      this.request = exchange.request();
      this.response = request.response();
    }

    @Override
    public void connected(UpstreamConnection c) {
      if (over || response.ended() || response.closed()) {
        c.abort(this);
        finish();
        return;
      }
      connection = c;
      OutboundRequest outbound = exchange.outbound();
      String path = exchange.route().upstreamPath(upstream, outbound.path());
      String query = outbound.query();
      MultiMap headers = outbound.headers();
      headers.set(HttpHeaders.HOST, exchange.route().hostHeader(upstream));
      Buffer body = outbound.body();
      String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
      if (body != null) {
        headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
      } else if (length != null) {
        headers.set(HttpHeaders.CONTENT_LENGTH, length);
        streaming = !"0".equals(length);
      } else if (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
        headers.set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
        streaming = true;
      }
      DefaultHttpRequest head =
          new DefaultHttpRequest(
              HttpVersion.HTTP_1_1,
              io.netty.handler.codec.http.HttpMethod.valueOf(outbound.method().name()),
              query == null ? path : path + '?' + query,
              nettyHeaders(headers));
      if (!streaming) {
        c.send(
            this,
            head,
            body == null ? Unpooled.EMPTY_BUFFER : ((BufferInternal) body).getByteBuf());
        return;
      }
      c.sendHead(this, head);
      // each piece as the decoder read it, handed to the upstream's write with no copy
      request.relay(
          chunk -> {
            c.sendContent(this, chunk);
            if (!c.isWritable()) {
              request.pause();
            }
          });
      request.endHandler(v -> c.sendEnd(this));
      request.resume();
    }

    private static io.netty.handler.codec.http.HttpHeaders nettyHeaders(MultiMap headers) {
      if (headers instanceof io.netty.handler.codec.http.HttpHeaders netty) {
        return netty;
      }
      io.netty.handler.codec.http.HttpHeaders copy =
          new io.netty.handler.codec.http.DefaultHttpHeaders(false);
      headers.forEach(h -> copy.add(h.getKey(), h.getValue()));
      return copy;
    }

    @Override
    public void writable() {
      if (streaming && !over) {
        request.resume();
      }
    }

    @Override
    public void continued() {
      if (!over && !response.ended()) {
        response.writeContinue();
      }
    }

    @Override
    public void head(HttpResponse upstreamResponse) {
      exchange.upstreamNanos(System.nanoTime() - start);
      if (over || response.ended()) {
        abort();
        return;
      }
      response.setStatusCode(upstreamResponse.status().code());
      response.setStatusMessage(upstreamResponse.status().reasonPhrase());
      // with cors the gateway answers for CORS: the browser must see one answer, not two
      boolean gatewayCors = exchange.route().api().cors() != null;
      // the upstream codec decodes into Vert.x's header maps: the client's answer takes this over
      response.addUpstreamHeaders(
          ForwardHeaders.upstreamHeaders(
              (HeadersMultiMap) upstreamResponse.headers(), gatewayCors));
      if (exchange.key() != null && !response.headers().contains(HttpHeaders.CACHE_CONTROL)) {
        // an answer for one key's holder: a shared cache in front must never serve it to another
        response.headers().set(HttpHeaders.CACHE_CONTROL, PRIVATE);
      }
      response.headers().set(REQUEST_ID, exchange.requestId());
      if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
        response.setChunked(true);
      }
      relaying = true;
    }

    @Override
    public void content(ByteBuf content, boolean last) {
      if (over || !relaying) {
        return;
      }
      if (response.closed()) {
        abort();
        return;
      }
      if (last) {
        // retained: the client's write releases it, no copy of the body is made
        response.relay(content.retain(), true);
        finish();
        return;
      }
      if (content.isReadable()) {
        response.relay(content.retain(), false);
        UpstreamConnection c = connection;
        if (c != null && response.writeQueueFull()) {
          c.pauseReading(this);
          response.drainHandler(v -> c.resumeReading(this));
        }
      }
    }

    @Override
    public void failed(Throwable cause, boolean timeout) {
      if (over) {
        return;
      }
      if (exchange.upstreamNanos() < 0) {
        exchange.upstreamNanos(System.nanoTime() - start);
      }
      if (response.headWritten()) {
        // part of the answer is out: a cut-off response must not look complete
        if (!response.ended()) {
          response.reset();
        }
      } else if (!response.ended()) {
        response.headers().clear();
        response.setChunked(false);
        if (timeout) {
          exchange.refuse(
              ProblemCode.UPSTREAM_TIMEOUT,
              "The upstream did not answer in time.",
              "upstream_timeout");
        } else {
          exchange.refuse(
              ProblemCode.UPSTREAM_UNAVAILABLE,
              "The upstream could not be reached.",
              "upstream_error");
        }
      }
      finish();
    }

    /** The client went away, or the gateway refused the rest: the upstream side ends too. */
    void abort() {
      UpstreamConnection c = connection;
      if (c != null) {
        c.abort(this);
      }
      if (streaming) {
        request.relay(null);
        request.endHandler(null);
      }
      finish();
    }

    private void finish() {
      over = true;
      done.tryComplete();
    }
  }
}
