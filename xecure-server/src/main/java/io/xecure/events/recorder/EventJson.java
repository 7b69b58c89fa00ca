package io.xecure.events.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xecure.events.RequestEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * One request event as one line of JSON, the format of the events file and of spool files. Written
 * by hand: it runs once per event on the writer thread, and a tree or a map per event would cost
 * more than the event itself. Absent values are JSON null, so every line has the same fields.
 */
final class EventJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private EventJson() {}

  /** Appends the event as one JSON object, without a line break. */
  static void append(StringBuilder out, RequestEvent e) {
    out.append('{');
    string(out, "time", e.time().toString()).append(',');
    string(out, "request_id", e.requestId()).append(',');
    string(out, "node", e.node()).append(',');
    string(out, "api", e.api()).append(',');
    string(out, "method", e.method()).append(',');
    string(out, "path", e.path()).append(',');
    out.append("\"status\":").append(e.status()).append(',');
    string(out, "outcome", e.outcome()).append(',');
    string(out, "code", e.code()).append(',');
    string(out, "reason", e.reason()).append(',');
    string(out, "key_id", e.keyId()).append(',');
    string(out, "developer_id", e.developerId()).append(',');
    string(out, "client_ip", e.clientIp()).append(',');
    string(out, "user_agent", e.userAgent()).append(',');
    out.append("\"latency_us\":").append(e.latencyMicros()).append(',');
    out.append("\"upstream_latency_us\":").append(e.upstreamLatencyMicros()).append('}');
  }

  static String line(RequestEvent e) {
    StringBuilder out = new StringBuilder(320);
    append(out, e);
    return out.toString();
  }

  private static StringBuilder string(StringBuilder out, String name, @Nullable String value) {
    out.append('"').append(name).append("\":");
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        // control characters, and two characters some readers take for line breaks
        out.append("\\u")
            .append(HEX[(c >> 12) & 0xf])
            .append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }

  /**
   * Reads back one line written by {@link #line}.
   *
   * @throws IOException when the line is not such an event
   */
  static RequestEvent parse(String line) throws IOException {
    JsonNode n = JSON.readTree(line);
    try {
      return new RequestEvent(
          Instant.parse(required(n, "time")),
          required(n, "request_id"),
          required(n, "node"),
          optional(n, "api"),
          required(n, "method"),
          required(n, "path"),
          n.path("status").asInt(),
          required(n, "outcome"),
          optional(n, "code"),
          optional(n, "reason"),
          optional(n, "key_id"),
          optional(n, "developer_id"),
          required(n, "client_ip"),
          optional(n, "user_agent"),
          n.path("latency_us").asLong(),
          n.path("upstream_latency_us").asLong());
    } catch (DateTimeParseException e) {
      throw new IOException("not a request event: " + e.getMessage(), e);
    }
  }

  private static String required(JsonNode n, String field) throws IOException {
    String value = optional(n, field);
    if (value == null) {
      throw new IOException("not a request event: no " + field);
    }
    return value;
  }

  private static @Nullable String optional(JsonNode n, String field) {
    JsonNode value = n.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
