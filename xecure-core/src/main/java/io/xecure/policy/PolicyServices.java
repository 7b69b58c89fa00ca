package io.xecure.policy;

import io.xecure.keys.KeyVerifier;
import io.xecure.policy.bruteforce.FailureLedger;
import io.xecure.policy.keyauth.BodyBudget;
import io.xecure.policy.ratelimit.LimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import java.time.Clock;
import java.util.Map;

/**
 * What policies are built with beyond their settings: the long-lived state that must survive a
 * routing change (limiter counters, brute-force failures), the key verifier, the clock, and the
 * plans of the snapshot being built, and the budget of buffered bodies shared by every API.
 */
public record PolicyServices(
    KeyVerifier verifier,
    Clock clock,
    FailureLedger failures,
    LimiterStore limiter,
    Map<String, PlanConfig> plans,
    BodyBudget bodies) {}
