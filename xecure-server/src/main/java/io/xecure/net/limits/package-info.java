/**
 * Limits of the gateway's listeners (SPEC §9): deadlines for the request head and body, the
 * keep-alive idle timeout, the response write deadline, and the cap on open connections, enforced
 * by a Netty handler in each HTTP/1 connection's pipeline.
 */
@NullMarked
package io.xecure.net.limits;

import org.jspecify.annotations.NullMarked;
