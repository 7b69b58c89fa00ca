package io.xecure.policy.ratelimit;

import static io.xecure.policy.ratelimit.LimiterStoreContract.both;
import static io.xecure.policy.ratelimit.LimiterStoreContract.quota;
import static io.xecure.policy.ratelimit.LimiterStoreContract.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads on one counter never get more than its limit: 16 × 1000 tries, limit 100. */
class ConcurrentLimitsTest {
  private static final int THREADS = 16;
  private static final int TRIES = 1000;

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private int granted(PlanConfig plan) throws Exception {
    MemoryLimiterStore store = new MemoryLimiterStore(new MutableClock("2025-03-10T12:00:00Z"));
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                int granted = 0;
                for (int i = 0; i < TRIES; i++) {
                  if (store
                      .acquire(LimiterStoreContract.key("free", "shared"), plan)
                      .result()
                      .granted()) {
                    granted++;
                  }
                }
                return granted;
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> r : results) {
      total += r.get(30, TimeUnit.SECONDS);
    }
    return total;
  }

  @Test
  void aRateGrantsExactlyItsBurst() throws Exception {
    assertThat(granted(rate(100, Duration.ofHours(1)))).isEqualTo(100);
  }

  @Test
  void aQuotaGrantsExactlyItsLimit() throws Exception {
    assertThat(granted(quota(100, QuotaWindow.DAY))).isEqualTo(100);
  }

  @Test
  void rateAndQuotaTogetherGrantTheSmallerOfThem() throws Exception {
    assertThat(granted(both(100, Duration.ofHours(1), 50, QuotaWindow.DAY))).isEqualTo(50);
    assertThat(granted(both(50, Duration.ofHours(1), 100, QuotaWindow.DAY))).isEqualTo(50);
  }
}
