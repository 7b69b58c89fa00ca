package io.xecure.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.xecure.policy.bruteforce.BruteForceConfig;
import io.xecure.policy.bruteforce.FailureLedger;
import io.xecure.policy.bruteforce.FailureTracker;
import io.xecure.policy.bruteforce.FailureTracker.BlockListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures and blocks shared by every node through Redis, one ledger per scope (the brute-force
 * guard's clients, each kind of sign-in's accounts and clients): a client that spreads its guesses
 * over N nodes is blocked after {@code threshold} of them in all, and then on every node. The check
 * is one {@code PTTL}; a failure is one script ({@code failure.lua}) that counts it and blocks at
 * the threshold atomically. Windows and blocks are Redis TTLs, on Redis's clock.
 *
 * <p>While Redis does not answer (see {@link RedisLink}), checks and failures go to this node's
 * {@link FailureTracker}, which blocks at its share of the threshold (threshold / N live nodes, as
 * the rate limits fall back to limit / N): a node still blocks what it sees itself, and a client
 * spreading its guesses over every node is still blocked after about the threshold in all. Failures
 * counted locally during an outage are not carried to Redis when it answers again.
 */
public final class RedisFailureLedger implements FailureLedger {
  private static final Logger LOG = LoggerFactory.getLogger(RedisFailureLedger.class);
  private static final RedisScript SCRIPT = RedisScript.load("failure.lua");

  /** The brute-force guard's scope: invalid keys per client network. */
  public static final String CLIENTS = "client";

  private final RedisLink link;
  private final RedisKeys keys;
  private final String scope;
  private final BruteForceConfig config;
  private final FailureTracker local;
  private final BlockListener listener;
  private final List<String> args;

  /** The brute-force guard's ledger: scope {@link #CLIENTS}. */
  public RedisFailureLedger(
      RedisLink link,
      RedisKeys keys,
      BruteForceConfig config,
      FailureTracker local,
      BlockListener listener) {
    this(link, keys, CLIENTS, config, local, listener);
  }

  /**
   * @param scope what the subjects are, kept apart from every other scope's in Redis (e.g. {@link
   *     #CLIENTS}, or the accounts of one kind of sign-in)
   * @param local this node's tracker while Redis does not answer; it tells its own blocks to its
   *     own listener
   * @param listener told once per block this node's failure caused (alerts: {@code brute_force})
   */
  public RedisFailureLedger(
      RedisLink link,
      RedisKeys keys,
      String scope,
      BruteForceConfig config,
      FailureTracker local,
      BlockListener listener) {
    this.link = link;
    this.keys = keys;
    this.scope = scope;
    this.config = config;
    this.local = local;
    this.listener = listener;
    this.args =
        List.of(
            Integer.toString(config.threshold()),
            Long.toString(config.window().toMillis()),
            Long.toString(config.block().toMillis()));
  }

  @Override
  public Future<Long> blockedFor(String client) {
    if (!config.enabled()) {
      return Future.succeededFuture(0L);
    }
    if (!link.up()) {
      return local.blockedFor(client);
    }
    return link.send(Request.cmd(Command.PTTL).arg(keys.blocked(scope, client)))
        .map(r -> Math.max(0L, r.toLong()))
        .recover(e -> local.blockedFor(client));
  }

  @Override
  public Future<Void> failed(String client) {
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    if (!link.up()) {
      return local.failed(client);
    }
    return SCRIPT
        .run(link, List.of(keys.failures(scope, client), keys.blocked(scope, client)), args)
        .onSuccess(
            r -> {
              if (r.get(0).toLong() == -1) {
                int failures = r.get(1).toInteger();
                LOG.warn(
                    "{} {} blocked on every node for {} s after {} failures within {} s",
                    scope,
                    client,
                    config.block().toSeconds(),
                    failures,
                    config.window().toSeconds());
                listener.blocked(client, failures, config.block());
              }
            })
        .<Void>mapEmpty()
        .recover(e -> local.failed(client));
  }
}
