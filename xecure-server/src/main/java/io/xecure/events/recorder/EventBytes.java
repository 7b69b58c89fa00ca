package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A request event as bytes, the form it waits in between the event loops and the writer ({@link
 * BatchQueue}): the numbers first, then each text as a length (-1: absent) and its UTF-8 bytes.
 * Written into a caller's scratch array, read back from one.
 */
final class EventBytes {
  /** Seconds, nanos, status, latency, upstream latency. */
  private static final int NUMBERS = 8 + 4 + 4 + 8 + 8;

  private static final int TEXTS = 12;

  private EventBytes() {}

  /**
   * The most bytes {@code e} can take: its texts' chars at up to 3 bytes each (UTF-16 to UTF-8).
   */
  static int maxLength(RequestEvent e) {
    long chars =
        (long) e.requestId().length()
            + e.node().length()
            + length(e.api())
            + e.method().length()
            + e.path().length()
            + e.outcome().length()
            + length(e.code())
            + length(e.reason())
            + length(e.keyId())
            + length(e.developerId())
            + e.clientIp().length()
            + length(e.userAgent());
    return (int) Math.min(Integer.MAX_VALUE, NUMBERS + 4L * TEXTS + 3 * chars);
  }

  /** Writes {@code e} at the start of {@code to} (at least {@link #maxLength} long); its length. */
  static int write(RequestEvent e, byte[] to) {
    int at = putLong(to, 0, e.time().getEpochSecond());
    at = putInt(to, at, e.time().getNano());
    at = putInt(to, at, e.status());
    at = putLong(to, at, e.latencyMicros());
    at = putLong(to, at, e.upstreamLatencyMicros());
    at = putText(to, at, e.requestId());
    at = putText(to, at, e.node());
    at = putText(to, at, e.api());
    at = putText(to, at, e.method());
    at = putText(to, at, e.path());
    at = putText(to, at, e.outcome());
    at = putText(to, at, e.code());
    at = putText(to, at, e.reason());
    at = putText(to, at, e.keyId());
    at = putText(to, at, e.developerId());
    at = putText(to, at, e.clientIp());
    return putText(to, at, e.userAgent());
  }

  /** The event {@link #write} wrote at {@code from[0..]}. */
  static RequestEvent read(byte[] from) {
    Reader r = new Reader(from);
    long seconds = r.longValue();
    int nanos = r.intValue();
    int status = r.intValue();
    long latency = r.longValue();
    long upstreamLatency = r.longValue();
    return new RequestEvent(
        Instant.ofEpochSecond(seconds, nanos),
        r.required(),
        r.required(),
        r.text(),
        r.required(),
        r.required(),
        status,
        r.required(),
        r.text(),
        r.text(),
        r.text(),
        r.text(),
        r.required(),
        r.text(),
        latency,
        upstreamLatency);
  }

  private static int length(@Nullable String s) {
    return s == null ? 0 : s.length();
  }

  /** Each char one byte when all are ASCII, the common case; else UTF-8 proper. */
  private static int putText(byte[] to, int at, @Nullable String s) {
    if (s == null) {
      return putInt(to, at, -1);
    }
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        putInt(to, at, utf8.length);
        System.arraycopy(utf8, 0, to, at + 4, utf8.length);
        return at + 4 + utf8.length;
      }
      to[at + 4 + i] = (byte) c;
    }
    putInt(to, at, n);
    return at + 4 + n;
  }

  private static int putInt(byte[] to, int at, int v) {
    to[at] = (byte) (v >>> 24);
    to[at + 1] = (byte) (v >>> 16);
    to[at + 2] = (byte) (v >>> 8);
    to[at + 3] = (byte) v;
    return at + 4;
  }

  private static int putLong(byte[] to, int at, long v) {
    putInt(to, at, (int) (v >>> 32));
    return putInt(to, at + 4, (int) v);
  }

  private static final class Reader {
    private final byte[] bytes;
    private int at;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int intValue() {
      int v =
          (bytes[at] << 24)
              | ((bytes[at + 1] & 0xff) << 16)
              | ((bytes[at + 2] & 0xff) << 8)
              | (bytes[at + 3] & 0xff);
      at += 4;
      return v;
    }

    long longValue() {
      long high = intValue();
      return (high << 32) | (intValue() & 0xffffffffL);
    }

    @Nullable String text() {
      int n = intValue();
      if (n < 0) {
        return null;
      }
      String s = new String(bytes, at, n, StandardCharsets.UTF_8);
      at += n;
      return s;
    }

    String required() {
      String s = text();
      if (s == null) {
        throw new IllegalStateException("a required text of a queued event is absent");
      }
      return s;
    }
  }
}
