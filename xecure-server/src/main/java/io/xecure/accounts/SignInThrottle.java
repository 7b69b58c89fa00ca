package io.xecure.accounts;

import io.vertx.core.Future;
import io.xecure.net.ClientNetwork;
import io.xecure.policy.bruteforce.BruteForceConfig;
import io.xecure.policy.bruteforce.FailureLedger;
import io.xecure.policy.bruteforce.FailureTracker;
import io.xecure.problem.ProblemCode;
import io.xecure.service.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sign-in throttling (SPEC §10), per account and per client address: {@link #PER_ACCOUNT} refused
 * sign-ins block the account's sign-ins, {@link #PER_CLIENT} the client's (IPv4 address, IPv6 /64),
 * each for its block time, checked before any password is hashed. The refusals are counted in
 * {@link FailureLedger}s, as the brute-force guard counts invalid keys: in this node's memory
 * alone; in Redis in cluster mode, so that the nodes share one budget and a guesser gains nothing
 * by spreading its guesses over them.
 */
public final class SignInThrottle {
  /** Refused sign-ins to one account that block its sign-ins. */
  public static final BruteForceConfig PER_ACCOUNT =
      new BruteForceConfig(true, 5, Duration.ofMinutes(15), Duration.ofMinutes(15));

  /** Refused sign-ins from one client address that block its sign-ins. */
  public static final BruteForceConfig PER_CLIENT =
      new BruteForceConfig(true, 20, Duration.ofMinutes(15), Duration.ofMinutes(15));

  private static final long MAX_TRACKED = 100_000;

  /** Makes the ledger of one scope (e.g. the portal's accounts) with its thresholds. */
  @FunctionalInterface
  public interface Ledgers {
    FailureLedger ledger(String scope, BruteForceConfig config);

    /** Ledgers in this node's memory, on {@code clock}: what one node sees. */
    static Ledgers inMemory(Clock clock) {
      return (scope, config) -> new FailureTracker(config, clock, MAX_TRACKED);
    }
  }

  private final FailureLedger accounts;
  private final FailureLedger clients;

  /**
   * @param kind which sign-in this throttles ({@code operator}, {@code portal}): each kind counts
   *     apart from the others
   */
  public SignInThrottle(String kind, Ledgers ledgers) {
    this.accounts = ledgers.ledger("signin-" + kind + "-account", PER_ACCOUNT);
    this.clients = ledgers.ledger("signin-" + kind + "-client", PER_CLIENT);
  }

  /**
   * Runs {@code attempt} unless the account or the client is blocked (429 {@code
   * too_many_failures}, nothing attempted). A refused attempt is counted against both, and only
   * then answered with 401 {@code wrong email or password}: the same answer whatever the reason.
   *
   * @param account the email as accounts are found by ({@link AccountWork#email})
   * @param client the client's address
   * @param attempt checks the password: the signed-in result, or empty when refused
   */
  public <T> Future<T> signIn(
      String account, String client, Supplier<Future<Optional<T>>> attempt) {
    String network = ClientNetwork.of(client);
    return Future.all(accounts.blockedFor(account), clients.blockedFor(network))
        .compose(
            blocked -> {
              long wait = Math.max(blocked.<Long>resultAt(0), blocked.<Long>resultAt(1));
              if (wait > 0) {
                return Future.failedFuture(
                    new ServiceException(
                        ProblemCode.TOO_MANY_FAILURES,
                        "too many failed sign-ins; retry in " + ((wait + 999) / 1000) + " s"));
              }
              return attempt.get();
            })
        .compose(
            signedIn ->
                signedIn.isPresent()
                    ? Future.succeededFuture(signedIn.get())
                    : refused(account, network));
  }

  private <T> Future<T> refused(String account, String network) {
    return Future.all(accounts.failed(account), clients.failed(network))
        .transform(
            counted ->
                Future.failedFuture(
                    new ServiceException(ProblemCode.UNAUTHORIZED, "wrong email or password")));
  }
}
