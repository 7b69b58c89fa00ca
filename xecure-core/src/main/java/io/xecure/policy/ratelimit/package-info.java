/**
 * rate-limit (SPEC §5 step 5): a plan's smooth rate (GCRA) and calendar quota (UTC), counted per
 * key identity, developer or anonymous client, in a {@link io.xecure.policy.ratelimit.LimiterStore}
 * that outlives route rebuilds.
 */
@NullMarked
package io.xecure.policy.ratelimit;

import org.jspecify.annotations.NullMarked;
