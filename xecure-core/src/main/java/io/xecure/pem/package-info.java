/** PEM certificates and private keys, read and checked for the TLS listeners and upstreams. */
@NullMarked
package io.xecure.pem;

import org.jspecify.annotations.NullMarked;
