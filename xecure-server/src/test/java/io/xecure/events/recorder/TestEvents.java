package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import io.xecure.testing.RequestEventBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Request events and waiting, for the recorder's tests. */
final class TestEvents {
  static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123456Z");

  private TestEvents() {}

  static RequestEvent event(int i) {
    RequestEventBuilder event =
        RequestEventBuilder.event(T0.plusMillis(i))
            .requestId("req-" + i)
            .node("node-t")
            .path("/users/" + i + "?api_key=REDACTED")
            .clientIp("198.51.100.7")
            .userAgent("test \"agent\"\t\u2028é");
    return i % 5 == 0
        ? event.denied(401, "key_invalid", "unknown").latencies(1000 + i, -1).build()
        : event.key("key_1", "dev_1").latencies(1000 + i, 500 + i).build();
  }

  /** The events as the writer takes them from its queue. */
  static List<QueuedEvent> queued(List<RequestEvent> events) {
    return events.stream().map(QueuedEvent::of).toList();
  }

  static List<RequestEvent> events(int from, int to) {
    List<RequestEvent> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(event(i));
    }
    return out;
  }
}
