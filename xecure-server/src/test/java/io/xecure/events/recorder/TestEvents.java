package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Request events and waiting, for the recorder's tests. */
final class TestEvents {
  static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123456Z");

  private TestEvents() {}

  static RequestEvent event(int i) {
    return new RequestEvent(
        T0.plusMillis(i),
        "req-" + i,
        "node-t",
        "users",
        "GET",
        "/users/" + i + "?api_key=REDACTED",
        i % 5 == 0 ? 401 : 200,
        i % 5 == 0 ? "denied" : "granted",
        i % 5 == 0 ? "key_invalid" : null,
        i % 5 == 0 ? "unknown" : null,
        i % 5 == 0 ? null : "key_1",
        i % 5 == 0 ? null : "dev_1",
        "198.51.100.7",
        "test \"agent\"\t\u2028é",
        1000 + i,
        i % 5 == 0 ? -1 : 500 + i);
  }

  static List<RequestEvent> events(int from, int to) {
    List<RequestEvent> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(event(i));
    }
    return out;
  }

  /** Waits for work on another thread; fails after ten seconds. */
  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }
}
