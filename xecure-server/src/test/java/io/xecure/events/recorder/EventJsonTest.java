package io.xecure.events.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.xecure.events.RequestEvent;
import io.xecure.testing.RequestEventBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  @Test
  void aLineIsValidJsonWithEveryFieldAndReadsBackTheSame() throws Exception {
    for (int i = 0; i < 10; i++) {
      RequestEvent e = TestEvents.event(i);
      String line = EventJson.line(e);

      assertThat(line).doesNotContain("\n").doesNotContain("\u2028");
      JsonObject json = new JsonObject(line);
      assertThat(json.fieldNames())
          .containsExactly(
              "time",
              "request_id",
              "node",
              "api",
              "method",
              "path",
              "status",
              "outcome",
              "code",
              "reason",
              "key_id",
              "developer_id",
              "client_ip",
              "user_agent",
              "latency_us",
              "upstream_latency_us");
      assertThat(json.getString("user_agent")).isEqualTo(e.userAgent());
      assertThat(EventJson.parse(line)).isEqualTo(e);
    }
  }

  @Test
  void controlCharactersAreEscaped() throws Exception {
    RequestEvent e = TestEvents.event(1);
    RequestEvent odd =
        RequestEventBuilder.event(e.time())
            .requestId("r")
            .node("n")
            .api(null)
            .path("/a\u0000b\u001f\\\"")
            .clientIp("::1")
            .latencies(0, 0)
            .build();

    String line = EventJson.line(odd);

    assertThat(line).contains("/a\\u0000b\\u001f\\\\\\\"").contains("\"api\":null");
    assertThat(EventJson.parse(line)).isEqualTo(odd);
  }

  @Test
  void timesAndAnyTextReadBackExactly() throws Exception {
    RequestEvent e = TestEvents.event(1);
    for (String time :
        List.of(
            "2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05.100Z",
            "2026-12-31T23:59:59.123456Z",
            "1999-01-02T03:04:05.000000001Z",
            "+12026-01-02T03:04:05Z")) {
      Instant t = Instant.parse(time);
      String text = "é ü € 𝄞 \ud800 lone, \udc00 low, \u007f del, tab\t";
      // the request's own texts come from HTTP heads: valid UTF-16 (QueuedEvent)
      String fromHead = "é ü € 𝄞 \u2028 \u2029 \"q\" \\ \u007f del, \u0001 tab\t";
      RequestEvent odd =
          RequestEventBuilder.event(t)
              .requestId("r")
              .node("n")
              .api(text)
              .path("/p")
              .clientIp("::1")
              .userAgent(fromHead)
              .latencies(0, -1)
              .build();

      String line = EventJson.line(odd);

      assertThat(new JsonObject(line).getString("time")).isEqualTo(t.toString());
      assertThat(new JsonObject(line).getString("api")).isEqualTo(text);
      assertThat(new JsonObject(line).getString("user_agent")).isEqualTo(fromHead);
      assertThat(line).doesNotContain("\u2028").doesNotContain("\u2029").doesNotContain("\t");
      assertThat(EventJson.parse(line)).isEqualTo(odd);
    }
  }

  @Test
  void eventsOfOneSecondAndOfTheNextInOneBatchEachKeepTheirOwnTime() throws Exception {
    // an event answered late is written after later ones: its second comes back
    List<String> times =
        List.of(
            "2026-01-02T03:04:05.100Z",
            "2026-01-02T03:04:05.900Z",
            "2026-01-02T03:04:06Z",
            "2026-01-02T03:04:05.999999Z",
            "2026-01-03T00:00:00.000001Z");
    EventJson.Lines lines = new EventJson.Lines();
    List<RequestEvent> events = new ArrayList<>();
    for (String time : times) {
      events.add(RequestEventBuilder.event(Instant.parse(time)).requestId(time).build());
      lines.add(events.get(events.size() - 1));
    }

    List<String> written = lines.toString().lines().toList();

    assertThat(written).hasSameSizeAs(times);
    EventJson.Reader reader = new EventJson.Reader(); // read back in order, as the indexer does
    for (int i = 0; i < times.size(); i++) {
      assertThat(new JsonObject(written.get(i)).getString("time")).isEqualTo(times.get(i));
      byte[] line = written.get(i).getBytes(StandardCharsets.UTF_8);
      assertThat(reader.read(line, 0, line.length)).isEqualTo(events.get(i));
    }
  }

  @Test
  void aLineThatIsNotAnEventIsRefusedWithWhy() {
    for (String line :
        List.of(
            "[1,2]",
            "{\"time\":\"yesterday\"}",
            "{\"time\":\"2026-01-02T03:04:05.1234567890Z\",\"request_id\":\"r\"}",
            "{\"time\":\"2026-01-02T03:04:05Z\",\"request_id\":\"r\"}",
            "{\"time\":")) {
      assertThatThrownBy(() -> EventJson.parse(line))
          .as(line)
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("not a request event");
    }
  }

  @Test
  void aRecurringValueIsWrittenTheSameEveryTimeAndAfterTheCacheStartsOver() throws Exception {
    EventJson.Lines lines = new EventJson.Lines();
    String odd = "é 𝄞 \ud800 \"quoted\" tab\t";
    String oddHead = "é 𝄞 \"quoted\" tab\t"; // the request's own texts: valid UTF-16
    List<RequestEvent> events = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      // the same odd value again and again, between thousands of distinct ones (more than the
      // recurring values' cache holds)
      String agent = i % 2 == 0 ? oddHead : "agent/" + i + " é";
      String api = i % 2 == 0 ? odd : "api-" + i;
      events.add(
          RequestEventBuilder.event(Instant.parse("2026-01-02T03:04:05Z"))
              .requestId("r" + i)
              .node("n")
              .api(i % 3 == 0 ? null : api)
              .path("/p")
              .clientIp("198.51.100." + (i % 256))
              .userAgent(agent)
              .latencies(i, -1)
              .build());
      lines.add(events.get(i));
    }

    String[] written = lines.toString().split("\n");
    assertThat(written).hasSize(events.size());
    for (int i = 0; i < written.length; i++) {
      assertThat(written[i]).isEqualTo(EventJson.line(events.get(i)));
      assertThat(EventJson.parse(written[i])).isEqualTo(events.get(i));
    }
  }
}
