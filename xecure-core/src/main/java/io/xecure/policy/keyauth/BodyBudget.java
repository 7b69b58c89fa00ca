package io.xecure.policy.keyauth;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies that key-auth may hold in memory at once, over every request and
 * event loop ({@code gateway.limits.buffered_bodies}, SPEC §9). {@code max_body} bounds one body;
 * this bounds them all, so that many large bodies sent at once cannot exhaust the heap. Thread-safe
 * and lock-free.
 */
public final class BodyBudget {
  private final long total;
  private final AtomicLong used = new AtomicLong();

  public BodyBudget(long total) {
    if (total < 1) {
      throw new IllegalArgumentException("the budget must be positive");
    }
    this.total = total;
  }

  /** Takes {@code bytes} of the budget; false, taking nothing, when they are not left. */
  public boolean reserve(long bytes) {
    while (true) {
      long now = used.get();
      if (bytes > total - now) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Gives back what one {@link #reserve} took, once the body is no longer held. */
  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes reserved now. */
  public long used() {
    return used.get();
  }

  public long total() {
    return total;
  }
}
