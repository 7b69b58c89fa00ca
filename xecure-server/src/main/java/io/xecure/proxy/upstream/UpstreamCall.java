package io.xecure.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;

/**
 * One request's side of an upstream exchange: what the connection tells it, in order: {@link
 * #connected} once, then {@link #head}, any {@link #content}, {@link #end}; or {@link #failed} at
 * any point, after which nothing more. Called on the connection's event loop only.
 */
public interface UpstreamCall {

  /** The pooled connection is ours: write the request on it. */
  void connected(UpstreamConnection connection);

  /** A {@code 100 Continue} before the final answer. */
  default void continued() {}

  /** The final response's head. */
  void head(HttpResponse response);

  /** A piece of the body; valid only during the call (released after it). */
  void content(ByteBuf content, boolean last);

  /** The connection can take more of the request body again. */
  default void writable() {}

  /**
   * No connection, or the exchange broke before its end.
   *
   * @param timeout whether it was the connect or response timeout (504) rather than an error (502)
   */
  void failed(Throwable cause, boolean timeout);
}
