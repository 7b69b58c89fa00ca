package io.xecure.policy.bruteforce;

import io.vertx.core.Future;
import io.xecure.net.ClientNetwork;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.Policy;
import io.xecure.pipeline.PolicyChain;
import io.xecure.problem.ProblemCode;

/**
 * brute-force (SPEC §7): refuses a blocked client with 429 {@code too_many_failures} and {@code
 * Retry-After}; otherwise lets the request through and, once the rest of the chain has answered,
 * counts a {@code key_invalid} refusal against the client (IPv4 address, IPv6 /64) in its {@link
 * FailureLedger}. Other clients pay one look-up: a map's on one node, a Redis round trip in a
 * cluster.
 *
 * <p>Only invalid keys count: a missing key, a suspended developer or a denied scope are not
 * guesses at a key.
 */
public final class BruteForceGuard implements Policy {
  public static final String ID = "brute-force";

  /** Before key-auth (100): a blocked client is refused before any key is parsed or hashed. */
  public static final int ORDER = 90;

  private final FailureLedger failures;

  public BruteForceGuard(FailureLedger failures) {
    this.failures = failures;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int order() {
    return ORDER;
  }

  @Override
  public Future<Void> apply(Exchange exchange, PolicyChain chain) {
    String client = ClientNetwork.of(exchange.clientIp());
    return failures
        .blockedFor(client)
        .compose(blocked -> blocked > 0 ? refuse(exchange, blocked) : proceed(exchange, chain));
  }

  private Future<Void> proceed(Exchange exchange, PolicyChain chain) {
    String client = ClientNetwork.of(exchange.clientIp());
    return chain
        .proceed(exchange)
        .andThen(
            done -> {
              if (exchange.refusal() == ProblemCode.KEY_INVALID) {
                failures.failed(client);
              }
            });
  }

  private static Future<Void> refuse(Exchange exchange, long blockedMillis) {
    exchange.response().headers().set("Retry-After", Long.toString((blockedMillis + 999) / 1000));
    return exchange.refuse(
        ProblemCode.TOO_MANY_FAILURES,
        "Too many invalid API keys came from this address; retry later.",
        "blocked");
  }
}
