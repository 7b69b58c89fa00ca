package io.xecure.pipeline;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/**
 * A client's request as the pipeline sees it, whichever listener decoded it: its head as received
 * (already checked by the listener's strict decoder) and its body as a stream that stays paused
 * until a reader resumes it. Confined to the connection's event loop.
 */
public interface ClientRequest {

  HttpMethod method();

  /** The request target as received: path and query, not canonical. */
  String uri();

  MultiMap headers();

  default @Nullable String getHeader(CharSequence name) {
    return headers().get(name);
  }

  /**
   * Whether a body follows the head: a length other than 0, or chunks (an HTTP/2 body of no
   * declared length is presented as chunked).
   */
  default boolean hasBody() {
    String length = getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      return !"0".equals(length.trim());
    }
    return getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }

  /** Whether the client connection is TLS. */
  boolean isSSL();

  /** The TCP peer's address, or {@code unknown}. */
  String peer();

  /** The answer to this request. */
  ClientResponse response();

  /** Receives each piece of the body, once resumed. */
  ClientRequest handler(@Nullable Handler<Buffer> handler);

  /**
   * Receives each piece of the body, once resumed, for a reader that passes it on as it is: the
   * piece is handed over with no copy, and whoever writes it releases it. Taken before {@link
   * #handler} when both are set.
   */
  ClientRequest relay(@Nullable Handler<ByteBuf> relay);

  /** Called after the body's last piece. */
  ClientRequest endHandler(@Nullable Handler<Void> handler);

  /** Called when the body cannot be read to its end (the client left, the stream broke). */
  ClientRequest exceptionHandler(@Nullable Handler<Throwable> handler);

  ClientRequest pause();

  ClientRequest resume();
}
