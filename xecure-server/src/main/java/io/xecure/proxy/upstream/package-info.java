/**
 * The gateway's HTTP/1.1 client to its upstreams, on Netty directly: one pool of keep-alive
 * connections per event loop and upstream, so that a request and its upstream exchange run on one
 * thread from the first byte to the last, with no per-request context, promise chain or
 * cross-thread hand-off (the profile in bench/results showed Vert.x's client building a context per
 * request).
 */
@NullMarked
package io.xecure.proxy.upstream;

import org.jspecify.annotations.NullMarked;
