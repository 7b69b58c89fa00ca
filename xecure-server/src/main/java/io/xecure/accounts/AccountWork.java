package io.xecure.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Where an account service's work runs, and its clock: store calls on Vert.x workers; password
 * hashes on a pool of their own two threads, so that a burst of sign-ins cannot take every worker
 * (or, at 19 MiB a hash, much memory).
 */
public final class AccountWork implements AutoCloseable {
  private final Vertx vertx;
  private final Clock clock;
  private final WorkerExecutor passwords;

  /**
   * @param passwordPool the name of the password threads' pool: one per kind of account, so that a
   *     flood of one kind's sign-ins leaves the other's
   */
  public AccountWork(Vertx vertx, Clock clock, String passwordPool) {
    this.vertx = vertx;
    this.clock = clock;
    this.passwords = vertx.createSharedWorkerExecutor(passwordPool, 2);
  }

  /** An email as accounts are found by: trimmed, lower case. */
  public static String email(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /** Now, to the millisecond, as stored times are written. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  public Clock clock() {
    return clock;
  }

  /** Runs store work on a worker, unordered. */
  public <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** Runs work that hashes a password on the password threads, unordered. */
  public <T> Future<T> hashing(Callable<T> work) {
    return passwords.executeBlocking(work, false);
  }

  /** Releases the password threads. */
  @Override
  public void close() {
    passwords.close();
  }
}
