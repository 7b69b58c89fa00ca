package io.xecure.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
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

  /**
   * Adds an upstream's end-to-end headers after those already set (by policies), taking {@code
   * upstream} over: a server whose header map is of the same kind may keep it as its own rather
   * than copy it. This default copies.
   */
  default void addUpstreamHeaders(MultiMap upstream) {
    headers().addAll(upstream);
  }

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

  /**
   * Relays a piece of an upstream's body ({@code last}: its end, which ends the response) and takes
   * {@code chunk} over: it is released once written, or at once when nothing is to be written. A
   * server writing Netty's buffers sends it as it is, with no copy; this default copies it.
   */
  default void relay(ByteBuf chunk, boolean last) {
    Buffer copy;
    try {
      copy = chunk.isReadable() ? Buffer.buffer(ByteBufUtil.getBytes(chunk)) : null;
    } finally {
      chunk.release();
    }
    if (last) {
      if (copy == null) {
        end();
      } else {
        end(copy);
      }
    } else if (copy != null) {
      write(copy);
    }
  }

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
