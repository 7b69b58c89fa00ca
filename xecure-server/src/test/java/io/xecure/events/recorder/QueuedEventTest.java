package io.xecure.events.recorder;

import static io.xecure.testing.RequestEventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.events.RequestEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What waits in the queue comes out as it went in, whatever the text and the absent values. */
class QueuedEventTest {
  private static final Instant T = Instant.parse("2026-12-05T22:30:01.123456789Z");

  @Test
  void anAsciiEventComesOutEqual() {
    RequestEvent e =
        event(T)
            .requestId("req_0123456789abcdef")
            .api("users")
            .path("/users/42?page=2")
            .key("key_1", "dev_1")
            .clientIp("203.0.113.9")
            .userAgent("curl/8.5.0")
            .latencies(1234, 987)
            .build();

    assertThat(QueuedEvent.of(e).event()).isEqualTo(e);
  }

  @Test
  void anEventWithTextBeyondAsciiAndNothingOptionalComesOutEqual() {
    RequestEvent e =
        event(T)
            .requestId("req_é")
            .api(null)
            .method("POST")
            .path("/caf\u00e9/\u6771\u4eac/\uD83D\uDE00")
            .denied(401, "invalid_key", null)
            .key(null, null)
            .clientIp("2001:db8::1")
            .userAgent(null)
            .build();

    assertThat(QueuedEvent.of(e).event()).isEqualTo(e);
  }

  @Test
  void anEmptyPathAndUserAgentStayEmptyNotAbsent() {
    RequestEvent e = event(T).path("").userAgent("").latencies(-1, -1).build();

    RequestEvent back = QueuedEvent.of(e).event();

    assertThat(back).isEqualTo(e);
    assertThat(back.userAgent()).isEmpty();
  }
}
