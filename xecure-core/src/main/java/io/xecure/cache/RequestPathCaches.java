package io.xecure.cache;

import com.github.benmanes.caffeine.cache.Caffeine;

/** Caffeine caches that the event loops read and write on every request. */
public final class RequestPathCaches {
  private RequestPathCaches() {}

  /**
   * A builder whose upkeep (expiry, eviction, draining the buffer of reads) runs on the thread that
   * triggers it, a little at a time, instead of being handed to {@code ForkJoinPool.commonPool()}:
   * each hand-off wakes a parked thread, and those wake-ups and context switches took 4-6% of the
   * gateway's CPU in a profile with a valid key (bench/results/events-group-2026-12-04.md).
   */
  public static Caffeine<Object, Object> builder() {
    return Caffeine.newBuilder().executor(Runnable::run);
  }
}
