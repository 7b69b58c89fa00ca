/**
 * Alerts (SPEC §7): small detectors that watch request events and hooks of the data plane and the
 * admin services, and raise {@code brute_force}, {@code usage_spike}, {@code key_shared}, {@code
 * quota_near} and {@code key_leaked}; the {@link io.xecure.alerts.AlertService} that keeps one open
 * alert per type and subject in the store; and the signed webhook that announces each new one.
 *
 * <p>Detectors run on the event loop: each costs a map look-up and a few arithmetic operations per
 * request, holds bounded state per key, and reads time from the injected clock. Raising never
 * blocks: the store write and the webhook happen off the request path.
 */
@NullMarked
package io.xecure.alerts;

import org.jspecify.annotations.NullMarked;
