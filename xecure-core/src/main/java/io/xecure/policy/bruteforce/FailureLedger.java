package io.xecure.policy.bruteforce;

import io.vertx.core.Future;

/**
 * Where the brute-force guard counts invalid keys per client, and sign-in its refusals per account
 * and per client, and keeps them blocked for them: {@link FailureTracker} on one node; a shared
 * ledger (Redis) across a cluster (SPEC §8), so that a client spreading its guesses over N nodes is
 * blocked after the same number of them.
 */
public interface FailureLedger {
  /**
   * Milliseconds {@code client} is still blocked for; 0 when it is not. The future fails only when
   * the system fails: a shared ledger whose backend is unreachable answers from this node's own
   * counts instead. It completes on the caller's context.
   *
   * @param client an IPv4 address or an IPv6 /64, as {@link io.xecure.net.ClientNetwork} gives it
   */
  Future<Long> blockedFor(String client);

  /**
   * Counts one failure of {@code client} (an invalid key, a refused sign-in): returns at once and
   * never throws. The failure that reaches the threshold blocks the client on every node that
   * shares the ledger, and is told once to the ledger's block listener. The future completes once
   * the failure is counted (by the shared ledger, or by this node's own counts when it is
   * unreachable), on the caller's context, and never fails: a caller that answers only after
   * counting (sign-in) waits for it; the brute-force guard does not.
   */
  Future<Void> failed(String client);
}
