/**
 * The domain's records: developers, keys (as stored: hashes, never plaintext), their statuses,
 * alerts and operators. Plain values with no behaviour beyond their own invariants; every other
 * package ({@code keys}, {@code store}, {@code pipeline}, the services) speaks in them, and this
 * package imports none of those.
 */
@NullMarked
package io.xecure.model;

import org.jspecify.annotations.NullMarked;
