package io.xecure.events.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.events.RequestEvent;
import io.xecure.testing.MemoryStore;
import io.xecure.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetentionTest {
  final MemoryStore store = new MemoryStore();
  final MutableClock clock = new MutableClock(TestEvents.T0.plus(Duration.ofDays(30)));
  final AtomicLong nanos = new AtomicLong();

  @Test
  void deletesOldEventsInChunksThenWaitsAnHour() {
    List<RequestEvent> events = new ArrayList<>();
    for (int i = 0; i < 25_000; i++) {
      // 20,000 before the cut-off (T0 + 0..19,999 ms), 5,000 a day after it
      events.add(TestEvents.event(i < 20_000 ? i : 86_400_000 + i));
    }
    store.appendRequestEvents(events);
    clock.advance(Duration.ofSeconds(20)); // the cut-off falls after the 20,000 old ones
    Retention retention =
        new Retention(store, null, Duration.ofDays(30), clock, nanos::get, () -> true);

    retention.runIfDue();
    assertThat(store.requestEvents(100_000)).hasSize(15_000); // one chunk per call
    retention.runIfDue();
    retention.runIfDue();
    assertThat(store.requestEvents(100_000)).hasSize(5_000);

    clock.advance(Duration.ofDays(2));
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(59));
    retention.runIfDue();
    assertThat(store.requestEvents(100_000)).hasSize(5_000); // not due before the hour
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(1));
    retention.runIfDue();
    assertThat(store.requestEvents(100_000)).isEmpty();
  }

  @Test
  void waitsWhileTheStoreIsDown() {
    store.appendRequestEvents(List.of(TestEvents.event(0)));
    Retention retention =
        new Retention(store, null, Duration.ofDays(1), clock, nanos::get, () -> false);

    retention.runIfDue();

    assertThat(store.requestEvents(10)).hasSize(1);
  }
}
