/**
 * TLS at the edge (SPEC §9): the listeners' certificates chosen by SNI and reloaded when their
 * files change, TLS 1.2 and 1.3 with modern suites, ALPN for HTTP/2, and the verified TLS of the
 * upstream client.
 */
@NullMarked
package io.xecure.tls;

import org.jspecify.annotations.NullMarked;
