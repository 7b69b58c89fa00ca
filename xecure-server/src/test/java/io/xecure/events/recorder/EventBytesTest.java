package io.xecure.events.recorder;

import static io.xecure.testing.RequestEventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.events.RequestEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An event written as bytes reads back equal, whatever the text and the absent values. */
class EventBytesTest {
  private static final Instant T = Instant.parse("2026-12-05T22:30:01.123456789Z");

  @Test
  void anAsciiEventReadsBackEqual() {
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

    assertThat(roundTrip(e)).isEqualTo(e);
  }

  @Test
  void textBeyondAsciiAndAbsentValuesReadBackEqual() {
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
            .latencies(Long.MAX_VALUE, Long.MIN_VALUE)
            .build();

    assertThat(roundTrip(e)).isEqualTo(e);
  }

  @Test
  void emptyTextStaysEmptyNotAbsent() {
    RequestEvent e = event(Instant.EPOCH).path("").userAgent("").latencies(-1, -1).build();

    RequestEvent back = roundTrip(e);

    assertThat(back).isEqualTo(e);
    assertThat(back.userAgent()).isEmpty();
  }

  private static RequestEvent roundTrip(RequestEvent e) {
    byte[] bytes = new byte[EventBytes.maxLength(e)];
    EventBytes.write(e, bytes);
    return EventBytes.read(bytes);
  }
}
