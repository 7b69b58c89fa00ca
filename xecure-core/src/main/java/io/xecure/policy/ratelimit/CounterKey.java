package io.xecure.policy.ratelimit;

import java.util.Locale;

/**
 * Names one set of rate and quota counters: who is counted, under which plan. Requests with equal
 * keys share the same counters whatever API they come from; a plan's allowance spans every API that
 * applies it.
 *
 * @param plan the plan's name
 * @param subject what {@code id} identifies
 * @param id a key's identity id (shared by a key and its rotated successor), a developer id, or a
 *     client network (an IPv4 address, an IPv6 /64); never a plaintext key
 */
public record CounterKey(String plan, Subject subject, String id) {

  /** Who a counter counts. */
  public enum Subject {
    /** A key's identity (plans with {@code limit_by: key}). */
    KEY,
    /** A developer, across all their keys (plans with {@code limit_by: developer}). */
    DEVELOPER,
    /** An anonymous client, by network. */
    CLIENT;

    /** The lower-case name, as used in store keys and logs. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code <plan>/<subject>:<id>}, for logs. */
  @Override
  public String toString() {
    return plan + "/" + subject.wire() + ":" + id;
  }
}
