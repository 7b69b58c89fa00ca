package io.xecure.logging;

import io.xecure.events.EventSink;
import io.xecure.events.RequestEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per request on the {@code xecure.access} logger, with the fields of the request event as
 * key-value pairs ({@code %kvp} in text, top-level fields in JSON). The path is the event's,
 * already redacted; the caller is named by key and developer ids, never by a key.
 *
 * <p>It runs on the event loop for every request: the configured logger sends it through a bounded
 * asynchronous appender that drops lines rather than wait (see {@code logback.xml}), so a line
 * costs building one logging event and one queue offer, and logging never slows or blocks a
 * request. Switched off with {@code events.access_log: false}.
 */
public final class AccessLog implements EventSink {
  /** The logger's name, as the logging configuration refers to it. */
  public static final String LOGGER = "xecure.access";

  private final Logger log;

  public AccessLog() {
    this(LoggerFactory.getLogger(LOGGER));
  }

  AccessLog(Logger log) {
    this.log = log;
  }

  @Override
  public void record(RequestEvent e) {
    if (!log.isInfoEnabled()) {
      return;
    }
    LoggingEventBuilder line =
        log.atInfo()
            .setMessage("request")
            .addKeyValue("request_id", e.requestId())
            .addKeyValue("node", e.node());
    line = optional(line, "api", e.api());
    line =
        line.addKeyValue("method", e.method())
            .addKeyValue("path", printable(e.path()))
            .addKeyValue("status", e.status())
            .addKeyValue("outcome", e.outcome());
    line = optional(line, "code", e.code());
    line = optional(line, "reason", e.reason());
    line = optional(line, "key_id", e.keyId());
    line = optional(line, "developer_id", e.developerId());
    line = line.addKeyValue("client_ip", e.clientIp());
    String userAgent = e.userAgent();
    line = optional(line, "user_agent", userAgent == null ? null : printable(userAgent));
    line = line.addKeyValue("latency_us", e.latencyMicros());
    if (e.upstreamLatencyMicros() >= 0) {
      line = line.addKeyValue("upstream_latency_us", e.upstreamLatencyMicros());
    }
    line.log();
  }

  private static LoggingEventBuilder optional(
      LoggingEventBuilder line, String key, @Nullable String value) {
    return value == null ? line : line.addKeyValue(key, value);
  }

  /**
   * Control characters replaced by {@code ?}, so that a text line stays one line whatever a client
   * sent (JSON escapes them anyway); the same instance when there is none, as nearly always.
   */
  static String printable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        StringBuilder out = new StringBuilder(value.length());
        for (int j = 0; j < value.length(); j++) {
          char d = value.charAt(j);
          out.append(d < 0x20 || d == 0x7F ? '?' : d);
        }
        return out.toString();
      }
    }
    return value;
  }
}
