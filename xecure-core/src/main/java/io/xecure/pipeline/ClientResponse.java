package io.xecure.pipeline;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The answer to a {@link ClientRequest}: status and headers until the head is written, then the
 * body, written or streamed. Names as Vert.x's server response has them. Confined to the
 * connection's event loop.
 */
public interface ClientResponse {

  int getStatusCode();

  ClientResponse setStatusCode(int code);

  ClientResponse setStatusMessage(String message);

  MultiMap headers();

  default ClientResponse putHeader(CharSequence name, CharSequence value) {
    headers().set(name, value);
    return this;
  }

  /** Streams the body with chunked transfer coding (a response without Content-Length). */
  ClientResponse setChunked(boolean chunked);

  boolean headWritten();

  boolean ended();

  /** Whether the client connection has closed. */
  boolean closed();

  /** Writes a piece of the body, the head first if not yet written. */
  void write(Buffer chunk);

  void end();

  void end(Buffer body);

  /** Whether the connection holds more than it should before the client reads some. */
  boolean writeQueueFull();

  /** Called once the client has read enough for writes to go on. */
  ClientResponse drainHandler(Handler<Void> handler);

  /** Called when the client connection closes before the response ended. */
  ClientResponse closeHandler(Handler<Void> handler);

  /** Called once the response has been written out whole. */
  ClientResponse endHandler(Handler<Void> handler);

  /** {@code 100 Continue}, for a client that waits for it before sending the body. */
  void writeContinue();

  /** Cuts the response off: on HTTP/1.1, the connection is closed. */
  void reset();
}
