/**
 * brute-force (SPEC §7): refuses a client that presented too many invalid keys, before any key
 * work, with the failures counted in a {@link io.xecure.policy.bruteforce.FailureTracker} that
 * outlives route rebuilds.
 */
@NullMarked
package io.xecure.policy.bruteforce;

import org.jspecify.annotations.NullMarked;
