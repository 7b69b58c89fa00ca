package io.xecure.policy.ratelimit;

import io.vertx.core.Future;

/**
 * Where rate and quota state lives, for as long as the process (not a route snapshot): {@link
 * MemoryLimiterStore} on a single node; a Redis store shares it across a cluster (SPEC §8).
 *
 * <p>The store keeps its own time, so that a shared store can use one clock for every node.
 */
public interface LimiterStore {
  /**
   * Counts one request of {@code counter} against {@code plan}, if the plan lets it through. A
   * refused request spends nothing: a request over the rate does not use quota, and a request over
   * the quota does not use rate.
   *
   * <p>{@code counter} names the state: calls with equal keys share the same rate and quota
   * counters, whatever API they come from; a plan whose limits change keeps its counters.
   *
   * @return the decision; a refusal is a {@link Decision} value, not a failure. A granted decision
   *     of a plan with a quota tells the window's count so far ({@link Decision#quotaUsed}), which
   *     the {@code quota_near} alert watches. A store that may complete later (a remote one)
   *     returns a pending future and completes it on the caller's context. The future fails only
   *     when the system fails; a shared store whose backend is unreachable answers from local state
   *     instead (SPEC §8: per-node limits).
   */
  Future<Decision> acquire(CounterKey counter, PlanConfig plan);
}
