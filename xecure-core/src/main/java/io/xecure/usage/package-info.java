/**
 * Usage roll-ups (SPEC §7): every request event is counted in memory per minute, per key, developer
 * and API ({@link io.xecure.usage.UsageAggregator}, an {@link io.xecure.events.EventSink}), and the
 * completed minutes are added to the store in batches, off the request path. The store keeps one
 * row per minute, dimension, id and API; queries roll minutes up to hours and days.
 */
@NullMarked
package io.xecure.usage;

import org.jspecify.annotations.NullMarked;
