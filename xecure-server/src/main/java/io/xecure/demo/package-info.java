/**
 * {@code xecure demo}: the built-in sample upstream, the demo's developer and key (found again on a
 * restart), and, for a local cluster, the check that PostgreSQL and Redis answer before any node
 * starts.
 */
@NullMarked
package io.xecure.demo;

import org.jspecify.annotations.NullMarked;
