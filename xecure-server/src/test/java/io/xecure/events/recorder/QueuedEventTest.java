package io.xecure.events.recorder;

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
        new RequestEvent(
            T,
            "req_0123456789abcdef",
            "node-1",
            "users",
            "GET",
            "/users/42?page=2",
            200,
            "granted",
            null,
            null,
            "key_1",
            "dev_1",
            "203.0.113.9",
            "curl/8.5.0",
            1234,
            987);

    assertThat(QueuedEvent.of(e).event()).isEqualTo(e);
  }

  @Test
  void anEventWithTextBeyondAsciiAndNothingOptionalComesOutEqual() {
    RequestEvent e =
        new RequestEvent(
            T,
            "req_é",
            "node-1",
            null,
            "POST",
            "/caf\u00e9/\u6771\u4eac/\uD83D\uDE00",
            401,
            "denied",
            "invalid_key",
            "no such key",
            null,
            null,
            "2001:db8::1",
            null,
            0,
            0);

    assertThat(QueuedEvent.of(e).event()).isEqualTo(e);
  }

  @Test
  void anEmptyPathAndUserAgentStayEmptyNotAbsent() {
    RequestEvent e =
        new RequestEvent(
            T,
            "r",
            "n",
            "a",
            "GET",
            "",
            404,
            "denied",
            "no_route",
            null,
            null,
            null,
            "::1",
            "",
            -1,
            -1);

    RequestEvent back = QueuedEvent.of(e).event();

    assertThat(back).isEqualTo(e);
    assertThat(back.userAgent()).isEmpty();
  }
}
