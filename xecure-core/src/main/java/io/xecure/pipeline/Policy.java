package io.xecure.pipeline;

import io.vertx.core.Future;

/**
 * One step of the request pipeline. A policy either calls {@link PolicyChain#proceed} exactly once
 * or ends the exchange with {@link Exchange#refuse} (or, answering for the upstream, {@link
 * Exchange#answer}); the chain reports a policy that does both. Policies run on the event loop and
 * must not block.
 */
public interface Policy {
  /** Stable id, used in logs, metrics and contract violations (e.g. {@code key-auth}). */
  String id();

  /** Position in the chain, lower first; each policy names its constant and why. */
  int order();

  Future<Void> apply(Exchange exchange, PolicyChain chain);
}
