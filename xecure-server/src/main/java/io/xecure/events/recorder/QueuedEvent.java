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
 *
 * <p>The events file's lines are written from it as it is ({@link EventJson.Lines#add}): the writer
 * makes no {@link RequestEvent} of it, nor strings of its bytes. Its fields are read there.
 *
 * <p>Text that is not valid UTF-16 (a lone surrogate) is queued as {@code ?}, as Java encodes it.
 * What the gateway records comes from HTTP heads, whose characters are single bytes.
 */
final class QueuedEvent {
  final long seconds;
  final int nanos;
  final String node;
  final @Nullable String api;
  final String method;
  final int status;
  final String outcome;
  final @Nullable String code;
  final @Nullable String reason;
  final @Nullable String keyId;
  final @Nullable String developerId;
  final String clientIp;
  final long latencyMicros;
  final long upstreamLatencyMicros;

  /**
   * Request id, path and user agent, in that order, each as a length (-1: null; {@link
   * #length(byte[], int)}) and its UTF-8 bytes.
   */
  final byte[] own;

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
    byte[] own = new byte[12 + utf8Length(id) + utf8Length(path) + utf8Length(agent)];
    int at = putText(own, 0, id);
    at = putText(own, at, path);
    putText(own, at, agent);
    return new QueuedEvent(e, own);
  }

  /** The event as it was queued. */
  RequestEvent event() {
    int at = 0;
    int idLength = length(own, at);
    String requestId = new String(own, at + 4, idLength, StandardCharsets.UTF_8);
    at += 4 + idLength;
    int pathLength = length(own, at);
    String path = new String(own, at + 4, pathLength, StandardCharsets.UTF_8);
    at += 4 + pathLength;
    int agentLength = length(own, at);
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

  private static int utf8Length(@Nullable String s) {
    if (s == null) {
      return 0;
    }
    return ascii(s) ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Writes {@code s} as its length (-1: null) and its UTF-8 bytes: char by char when ASCII, the
   * common case, without an array of its own.
   */
  private static int putText(byte[] to, int at, @Nullable String s) {
    if (s == null) {
      putLength(to, at, -1);
      return at + 4;
    }
    if (ascii(s)) {
      int n = s.length();
      putLength(to, at, n);
      for (int i = 0; i < n; i++) {
        to[at + 4 + i] = (byte) s.charAt(i);
      }
      return at + 4 + n;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    putLength(to, at, bytes.length);
    System.arraycopy(bytes, 0, to, at + 4, bytes.length);
    return at + 4 + bytes.length;
  }

  private static void putLength(byte[] to, int at, int length) {
    to[at] = (byte) (length >>> 24);
    to[at + 1] = (byte) (length >>> 16);
    to[at + 2] = (byte) (length >>> 8);
    to[at + 3] = (byte) length;
  }

  /** The length of the text at {@code at} in {@code own}, its bytes after it; -1: null. */
  static int length(byte[] own, int at) {
    return (own[at] << 24)
        | ((own[at + 1] & 0xff) << 16)
        | ((own[at + 2] & 0xff) << 8)
        | (own[at + 3] & 0xff);
  }
}
