/**
 * The gateway's meters (Micrometer, exposed in the Prometheus text format by {@code GET /metrics}):
 * one facade, {@link io.xecure.metrics.Metrics}, and the request-event sink that counts and times
 * every request.
 */
@NullMarked
package io.xecure.metrics;

import org.jspecify.annotations.NullMarked;
