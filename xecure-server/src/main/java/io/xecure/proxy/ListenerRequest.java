package io.xecure.proxy;

import io.xecure.pipeline.ClientRequest;

/** A client request with what the proxy needs of the listener and connection it came in on. */
interface ListenerRequest extends ClientRequest {

  /** Makes the response the connection's last: {@code Connection: close}, then closed. */
  void lastOnConnection();

  /** Closes the client connection now (after what is already written). */
  void closeConnection();

  /**
   * What to do when the request's body stops arriving before the response has begun (the listener's
   * {@code body_idle_timeout}); forgotten when the response ends.
   */
  void onBodyStall(Runnable action);
}
