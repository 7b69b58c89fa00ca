package io.xecure.redis;

import io.xecure.policy.ratelimit.CounterKey;

/**
 * The names of everything this module keeps in Redis, under one prefix. The part in braces is the
 * Redis Cluster hash tag: every key about one subject (a counter's key, developer or client; a
 * client's failures and block; a key's traffic) lands in the same slot, so a script that touches
 * several of them runs on Redis Cluster unchanged.
 */
public final class RedisKeys {
  private final String prefix;

  public RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  /** {@code xecure:{key:<id>}:limit:<plan>}: the rate and quota state of one counter. */
  String counter(CounterKey counter) {
    return prefix
        + "{"
        + counter.subject().wire()
        + ":"
        + counter.id()
        + "}:limit:"
        + counter.plan();
  }

  /**
   * {@code xecure:{<scope>:<subject>}:failures}: a subject's failures in the current window; scope
   * {@code client} is the brute-force guard's (subject: a client network), the others count
   * sign-ins (see {@code io.xecure.accounts.SignInThrottle}).
   */
  String failures(String scope, String subject) {
    return prefix + "{" + scope + ":" + subject + "}:failures";
  }

  /** {@code xecure:{<scope>:<subject>}:blocked}: present, with a TTL, while it is blocked. */
  String blocked(String scope, String subject) {
    return prefix + "{" + scope + ":" + subject + "}:blocked";
  }

  /** {@code xecure:{key:<id>}:networks:<window>}: a HyperLogLog of the key's client networks. */
  String networks(String keyId, long window) {
    return prefix + "{key:" + keyId + "}:networks:" + window;
  }

  /** {@code xecure:{key:<id>}:requests:<minute>}: the key's requests in one UTC minute. */
  String requests(String keyId, long minute) {
    return prefix + "{key:" + keyId + "}:requests:" + minute;
  }
}
