package io.xecure.proxy;

import io.vertx.core.Future;
import java.time.Duration;

/** The data plane's listener, on whichever HTTP server {@code gateway.server} chose. */
public interface ProxyListener {

  /** Binds and starts accepting; fails when the port cannot be had. */
  Future<?> start();

  /** The port bound (the configured one, or the one chosen for port 0). */
  int port();

  /** Stops accepting and lets in-flight requests finish, up to {@code grace}. */
  Future<Void> shutdown(Duration grace);
}
