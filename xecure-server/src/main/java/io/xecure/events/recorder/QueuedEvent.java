package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A request event while it waits for the writer: two objects instead of about ten. The values an
 * event shares with many others (node, API, method, outcome, code, reason, key, developer, client
 * address: strings that live long) are kept by reference; its own (request id, path, user agent) as
 * UTF-8 in one array; the time as two numbers.
 *
 * <p>Why: an event still queued when a young collection runs is copied by it, and at tens of
 * thousands of requests a second the queue's events were most of every pause (4 MB of survivors and
 * 6-8 ms pauses with events on, against kilobytes and 1 ms without, {@code
 * bench/results/events-gc-2026-12-05.md}). A byte array is copied whole and holds no references to
 * follow.
 */
final class QueuedEvent {
  private final long seconds;
  private final int nanos;
  private final String node;
  private final @Nullable String api;
  private final String method;
  private final int status;
  private final String outcome;
  private final @Nullable String code;
  private final @Nullable String reason;
  private final @Nullable String keyId;
  private final @Nullable String developerId;
  private final String clientIp;
  private final long latencyMicros;
  private final long upstreamLatencyMicros;

  /** Request id, path and user agent, each as a length (-1: null) and its UTF-8 bytes. */
  private final byte[] own;

  private QueuedEvent(RequestEvent e, byte[] own) {
    this.seconds = e.time().getEpochSecond();
    this.nanos = e.time().getNano();
    this.node = e.node();
    this.api = e.api();
    this.method = e.method();
    this.status = e.status();
    this.outcome = e.outcome();
    this.code = e.code();
    this.reason = e.reason();
    this.keyId = e.keyId();
    this.developerId = e.developerId();
    this.clientIp = e.clientIp();
    this.latencyMicros = e.latencyMicros();
    this.upstreamLatencyMicros = e.upstreamLatencyMicros();
    this.own = own;
  }

  static QueuedEvent of(RequestEvent e) {
    String id = e.requestId();
    String path = e.path();
    String agent = e.userAgent();
    byte[] own;
    if (ascii(id) && ascii(path) && (agent == null || ascii(agent))) {
      // the common case: one array, each char one byte
      own = new byte[12 + id.length() + path.length() + (agent == null ? 0 : agent.length())];
      int at = putAscii(own, 0, id);
      at = putAscii(own, at, path);
      putAscii(own, at, agent);
    } else {
      byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
      byte[] pathBytes = path.getBytes(StandardCharsets.UTF_8);
      byte[] agentBytes = agent == null ? null : agent.getBytes(StandardCharsets.UTF_8);
      own =
          new byte
              [12
                  + idBytes.length
                  + pathBytes.length
                  + (agentBytes == null ? 0 : agentBytes.length)];
      int at = put(own, 0, idBytes);
      at = put(own, at, pathBytes);
      put(own, at, agentBytes);
    }
    return new QueuedEvent(e, own);
  }

  /** The event as it was queued. */
  RequestEvent event() {
    int at = 0;
    int idLength = length(at);
    String requestId = new String(own, at + 4, idLength, StandardCharsets.UTF_8);
    at += 4 + idLength;
    int pathLength = length(at);
    String path = new String(own, at + 4, pathLength, StandardCharsets.UTF_8);
    at += 4 + pathLength;
    int agentLength = length(at);
    String userAgent =
        agentLength < 0 ? null : new String(own, at + 4, agentLength, StandardCharsets.UTF_8);
    return new RequestEvent(
        Instant.ofEpochSecond(seconds, nanos),
        requestId,
        node,
        api,
        method,
        path,
        status,
        outcome,
        code,
        reason,
        keyId,
        developerId,
        clientIp,
        userAgent,
        latencyMicros,
        upstreamLatencyMicros);
  }

  private static boolean ascii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static int putAscii(byte[] to, int at, @Nullable String value) {
    int length = value == null ? -1 : value.length();
    putLength(to, at, length);
    if (value == null) {
      return at + 4;
    }
    for (int i = 0; i < length; i++) {
      to[at + 4 + i] = (byte) value.charAt(i);
    }
    return at + 4 + length;
  }

  private static int put(byte[] to, int at, byte @Nullable [] value) {
    int length = value == null ? -1 : value.length;
    putLength(to, at, length);
    if (value == null) {
      return at + 4;
    }
    System.arraycopy(value, 0, to, at + 4, value.length);
    return at + 4 + value.length;
  }

  private static void putLength(byte[] to, int at, int length) {
    to[at] = (byte) (length >>> 24);
    to[at + 1] = (byte) (length >>> 16);
    to[at + 2] = (byte) (length >>> 8);
    to[at + 3] = (byte) length;
  }

  private int length(int at) {
    return (own[at] << 24)
        | ((own[at + 1] & 0xff) << 16)
        | ((own[at + 2] & 0xff) << 8)
        | (own[at + 3] & 0xff);
  }
}
