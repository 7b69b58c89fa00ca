package io.xecure.config;

import java.time.Duration;

/**
 * {@code gateway.limits} (SPEC §9): what one client may take from a listener. The data-plane and
 * the admin listener apply the same values, each with its own connection count, so that a flood on
 * the data port never locks the operator out of the admin port.
 *
 * @param headerTimeout the whole request head must arrive within this, counted from the accept of
 *     the connection, or on a kept-alive connection from the first byte of the head: a total, not
 *     reset by each read, so a client dripping a line a second is cut off (408)
 * @param bodyIdleTimeout a request body that sends nothing for this long is cut off (408 if no
 *     response has begun); time the gateway itself stops reading (back-pressure) does not count
 * @param idleTimeout a kept-alive connection with no request in progress is closed after this
 * @param maxHeaderSize bytes of request header fields; beyond: 431
 * @param maxUri bytes of the request target; beyond: 414
 * @param maxConnections open connections per listener; beyond, a new connection is closed at once
 * @param responseWriteTimeout a client that takes no bytes of its response for this long (the
 *     socket stays unwritable) is disconnected, which frees the upstream connection it held
 * @param bufferedBodies bytes of request bodies held in memory at once, over all requests, to find
 *     a body key; a request that would go beyond is answered 503 {@code overloaded}
 * @param maxUpstreamConnections pooled connections to each upstream (host and port)
 */
public record LimitsConfig(
    Duration headerTimeout,
    Duration bodyIdleTimeout,
    Duration idleTimeout,
    int maxHeaderSize,
    int maxUri,
    int maxConnections,
    Duration responseWriteTimeout,
    long bufferedBodies,
    int maxUpstreamConnections) {

  /**
   * SPEC §9's values. {@code max_connections} 10,000: far above what a node serves at its harness
   * rate (a few hundred connections), and well below the 65,536 files a service is usually allowed
   * (each connection is one, and each upstream, store and Redis connection another), so that the
   * cap, not the file limit, is what a flood of connections meets. {@code response_write_timeout}
   * 60 s as nginx's {@code send_timeout}; {@code buffered_bodies} 64 MiB, 64 bodies at the default
   * {@code max_body} of 1 MiB; {@code max_upstream_connections} 512, the pool size the gateway
   * always had.
   */
  public static final LimitsConfig DEFAULT =
      new LimitsConfig(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(60),
          16 * 1024,
          8 * 1024,
          10_000,
          Duration.ofSeconds(60),
          64L * 1024 * 1024,
          512);

  /** The shortest of the timeouts: how often a connection's deadlines are looked at, at least. */
  public Duration shortestTimeout() {
    Duration shortest = headerTimeout;
    for (Duration d : new Duration[] {bodyIdleTimeout, idleTimeout, responseWriteTimeout}) {
      if (d.compareTo(shortest) < 0) {
        shortest = d;
      }
    }
    return shortest;
  }
}
