package io.xecure.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Polls for what happens asynchronously (a store write, a webhook delivery) with a bounded wait:
 * the test fails with the last value seen instead of hanging, and passes as soon as it may.
 */
public final class Eventually {
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private Eventually() {}

  /** The first value of {@code probe} that {@code done} accepts, within {@link #DEFAULT_WAIT}. */
  public static <T> T await(String what, Callable<T> probe, Predicate<T> done) throws Exception {
    return await(what, DEFAULT_WAIT, probe, done);
  }

  /**
   * The first value of {@code probe} that {@code done} accepts within {@code wait}: for promises
   * with a stated bound (a change reaches every node within 2 s).
   */
  public static <T> T await(String what, Duration wait, Callable<T> probe, Predicate<T> done)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      T value = probe.call();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "still not " + what + " after " + wait.toMillis() + " ms; last: " + value);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
