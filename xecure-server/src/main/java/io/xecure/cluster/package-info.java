/**
 * Cluster mode (SPEC §8): the one applier of the change feed, which alone brings the key index and
 * the routing snapshot in line with the store; the feed's driver (load, pushes, poll, staleness);
 * and the nodes' heartbeats.
 */
@NullMarked
package io.xecure.cluster;

import org.jspecify.annotations.NullMarked;
