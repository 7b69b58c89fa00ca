package io.xecure.policy.bruteforce;

import java.time.Duration;

/**
 * The brute-force guard of the data plane (SPEC §7 {@code brute_force}): a client that presents
 * {@code threshold} invalid keys within {@code window} is refused for {@code block}.
 *
 * @param enabled false turns the guard off (e.g. behind a NAT that no trusted proxy resolves)
 * @param threshold invalid keys, counted from the first one, that block the client
 * @param window how long failures are counted from the first one
 * @param block how long a blocked client is refused
 */
public record BruteForceConfig(boolean enabled, int threshold, Duration window, Duration block) {
  /** 20 invalid keys in a minute block the client for five minutes. */
  public static final BruteForceConfig DEFAULT =
      new BruteForceConfig(true, 20, Duration.ofMinutes(1), Duration.ofMinutes(5));
}
