package io.xecure.events.recorder;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xecure.events.RequestEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One request event as one line of JSON, the format of the events file and of spool files. Written
 * by hand, straight into UTF-8 bytes: it runs once per event on the writer thread, which shares the
 * machine with the event loops, and a tree, a map or a String per event cost several times more.
 * Absent values are JSON null, so every line has the same fields.
 */
final class EventJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private EventJson() {}

  /** A growable byte buffer that lines are written into, reused batch after batch. */
  static final class Lines {
    private byte[] bytes;
    private int length;
    // the JSON strings (quoted, escaped) of recurring values, written once and copied after
    private final EncodedStrings recurring = new EncodedStrings(4096, Lines::quoted);
    // the date and time to the second of the last event written, as written: most events share
    // their second with the one before
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] cachedTime = new byte[19];
    // the fixed parts of a line, encoded once
    private static final byte[] OPEN_TIME = ascii("{\"time\":\"");
    private static final byte[] REQUEST_ID = ascii("\",\"request_id\":");
    private static final byte[] NODE = ascii(",\"node\":");
    private static final byte[] API = ascii(",\"api\":");
    private static final byte[] METHOD = ascii(",\"method\":");
    private static final byte[] PATH = ascii(",\"path\":");
    private static final byte[] STATUS = ascii(",\"status\":");
    private static final byte[] OUTCOME = ascii(",\"outcome\":");
    private static final byte[] CODE = ascii(",\"code\":");
    private static final byte[] REASON = ascii(",\"reason\":");
    private static final byte[] KEY_ID = ascii(",\"key_id\":");
    private static final byte[] DEVELOPER_ID = ascii(",\"developer_id\":");
    private static final byte[] CLIENT_IP = ascii(",\"client_ip\":");
    private static final byte[] USER_AGENT = ascii(",\"user_agent\":");
    private static final byte[] LATENCY_US = ascii(",\"latency_us\":");
    private static final byte[] UPSTREAM_LATENCY_US = ascii(",\"upstream_latency_us\":");
    private static final byte[] CLOSE = ascii("}\n");

    Lines() {
      this(1 << 16);
    }

    private Lines(int capacity) {
      bytes = new byte[capacity];
    }

    /** Appends the event as one JSON object and a line break. */
    Lines add(RequestEvent e) {
      return add(QueuedEvent.of(e));
    }

    /** Appends the queued event as one JSON object and a line break, without unpacking it. */
    Lines add(QueuedEvent e) {
      ensure(512);
      put(OPEN_TIME);
      time(e.seconds, e.nanos);
      put(REQUEST_ID);
      int at = utf8(e.own, 0);
      put(NODE);
      recurring(e.node);
      put(API);
      recurring(e.api);
      put(METHOD);
      recurring(e.method);
      put(PATH);
      at = utf8(e.own, at);
      put(STATUS);
      number(e.status);
      put(OUTCOME);
      recurring(e.outcome);
      put(CODE);
      recurring(e.code);
      put(REASON);
      recurring(e.reason);
      put(KEY_ID);
      recurring(e.keyId);
      put(DEVELOPER_ID);
      recurring(e.developerId);
      put(CLIENT_IP);
      string(e.clientIp); // a new string each request: hashing it to look it up costs more
      put(USER_AGENT);
      utf8(e.own, at);
      put(LATENCY_US);
      number(e.latencyMicros);
      put(UPSTREAM_LATENCY_US);
      number(e.upstreamLatencyMicros);
      put(CLOSE);
      return this;
    }

    int length() {
      return length;
    }

    void clear() {
      length = 0;
    }

    void writeTo(OutputStream out) throws IOException {
      out.write(bytes, 0, length);
    }

    ByteBuffer asByteBuffer() {
      return ByteBuffer.wrap(bytes, 0, length);
    }

    @Override
    public String toString() {
      return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }

    private static byte[] ascii(String text) {
      return text.getBytes(StandardCharsets.US_ASCII);
    }

    private void put(byte[] fixed) {
      ensure(fixed.length);
      System.arraycopy(fixed, 0, bytes, length, fixed.length);
      length += fixed.length;
    }

    /** ASCII text known to need no escaping. */
    private void raw(String ascii) {
      ensure(ascii.length());
      for (int i = 0; i < ascii.length(); i++) {
        bytes[length++] = (byte) ascii.charAt(i);
      }
    }

    private static byte[] quoted(String value) {
      Lines one = new Lines(value.length() * 6 + 2);
      one.string(value);
      return Arrays.copyOf(one.bytes, one.length);
    }

    /** As {@link #string}, for a value that recurs from event to event. */
    private void recurring(@Nullable String value) {
      if (value == null) {
        string(null);
        return;
      }
      byte[] quoted = recurring.get(value);
      ensure(quoted.length);
      System.arraycopy(quoted, 0, bytes, length, quoted.length);
      length += quoted.length;
    }

    private void string(@Nullable String value) {
      if (value == null) {
        ensure(4);
        System.arraycopy(NULL, 0, bytes, length, 4);
        length += 4;
        return;
      }
      int n = value.length();
      ensure(n + 2);
      bytes[length++] = '"';
      for (int i = 0; i < n; i++) {
        char c = value.charAt(i);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
          bytes[length++] = (byte) c;
        } else {
          i = special(value, i);
        }
      }
      ensure(1);
      bytes[length++] = '"';
    }

    /**
     * Writes the text at {@code at} in a queued event's bytes ({@link QueuedEvent#own}) as {@link
     * #string} writes it as a string: the same escapes, the other bytes as they are (they are UTF-8
     * already). Returns where the next text starts.
     */
    private int utf8(byte[] own, int at) {
      int n = QueuedEvent.length(own, at);
      int from = at + 4;
      if (n < 0) {
        string(null);
        return from;
      }
      ensure(6 * n + 2);
      bytes[length++] = '"';
      for (int i = from, end = from + n; i < end; i++) {
        byte b = own[i];
        if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
          bytes[length++] = b;
        } else if (b == '"' || b == '\\') {
          bytes[length++] = '\\';
          bytes[length++] = b;
        } else if (b >= 0) {
          escape((char) b); // control characters and DEL
        } else if (b == (byte) 0xe2
            && i + 2 < end
            && own[i + 1] == (byte) 0x80
            && (own[i + 2] == (byte) 0xa8 || own[i + 2] == (byte) 0xa9)) {
          escape(own[i + 2] == (byte) 0xa8 ? '\u2028' : '\u2029'); // line breaks to some readers
          i += 2;
        } else {
          bytes[length++] = b;
        }
      }
      bytes[length++] = '"';
      return from + n;
    }

    /** Escapes or UTF-8-encodes the character at {@code i}; returns the last index consumed. */
    private int special(String value, int i) {
      ensure(12 + value.length() - i);
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        bytes[length++] = '\\';
        bytes[length++] = (byte) c;
      } else if (c < 0x80) {
        escape(c); // control characters
      } else if (c < 0x800) {
        bytes[length++] = (byte) (0xc0 | (c >> 6));
        bytes[length++] = (byte) (0x80 | (c & 0x3f));
      } else if (c == '\u2028' || c == '\u2029') {
        escape(c); // line breaks to some readers
      } else if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, value.charAt(i + 1));
        bytes[length++] = (byte) (0xf0 | (cp >> 18));
        bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        bytes[length++] = (byte) (0x80 | (cp & 0x3f));
        return i + 1;
      } else if (Character.isSurrogate(c)) {
        escape(c); // a lone surrogate has no UTF-8 form; the escape keeps it
      } else {
        bytes[length++] = (byte) (0xe0 | (c >> 12));
        bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        bytes[length++] = (byte) (0x80 | (c & 0x3f));
      }
      return i;
    }

    private void escape(char c) {
      bytes[length++] = '\\';
      bytes[length++] = 'u';
      bytes[length++] = HEX[(c >> 12) & 0xf];
      bytes[length++] = HEX[(c >> 8) & 0xf];
      bytes[length++] = HEX[(c >> 4) & 0xf];
      bytes[length++] = HEX[c & 0xf];
    }

    private void number(long value) {
      if (value == Long.MIN_VALUE) {
        raw(Long.toString(value));
        return;
      }
      ensure(20);
      long v = value;
      if (v < 0) {
        bytes[length++] = '-';
        v = -v;
      }
      int start = length;
      do {
        bytes[length++] = (byte) ('0' + v % 10);
        v /= 10;
      } while (v > 0);
      for (int a = start, b = length - 1; a < b; a++, b--) {
        byte t = bytes[a];
        bytes[a] = bytes[b];
        bytes[b] = t;
      }
    }

    /** As {@link Instant#toString()}: UTC, and 0, 3, 6 or 9 digits of fraction. */
    private void time(long second, int nano) {
      if (second == cachedSecond) {
        System.arraycopy(cachedTime, 0, bytes, length, cachedTime.length);
        length += cachedTime.length;
      } else {
        int start = length;
        if (!toTheSecond(second)) {
          raw(Instant.ofEpochSecond(second, nano).toString());
          return;
        }
        System.arraycopy(bytes, start, cachedTime, 0, cachedTime.length);
        cachedSecond = second;
      }
      if (nano != 0) {
        bytes[length++] = '.';
        if (nano % 1_000_000 == 0) {
          digits(nano / 1_000_000, 3);
        } else if (nano % 1000 == 0) {
          digits(nano / 1000, 6);
        } else {
          digits(nano, 9);
        }
      }
      bytes[length++] = 'Z';
    }

    /** Writes {@code yyyy-MM-ddTHH:mm:ss}; false, writing nothing, outside years 1000-9999. */
    private boolean toTheSecond(long second) {
      LocalDateTime d = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
      if (d.getYear() < 1000 || d.getYear() > 9999) {
        return false;
      }
      digits(d.getYear(), 4);
      bytes[length++] = '-';
      digits(d.getMonthValue(), 2);
      bytes[length++] = '-';
      digits(d.getDayOfMonth(), 2);
      bytes[length++] = 'T';
      digits(d.getHour(), 2);
      bytes[length++] = ':';
      digits(d.getMinute(), 2);
      bytes[length++] = ':';
      digits(d.getSecond(), 2);
      return true;
    }

    private void digits(int value, int width) {
      ensure(width);
      int v = value;
      for (int i = width - 1; i >= 0; i--) {
        bytes[length + i] = (byte) ('0' + v % 10);
        v /= 10;
      }
      length += width;
    }
  }

  /** The event as one line of JSON, without the line break. */
  static String line(RequestEvent e) {
    String line = new Lines().add(e).toString();
    return line.substring(0, line.length() - 1);
  }

  /**
   * Reads back one line written by {@link Lines#add}.
   *
   * @throws IOException when the line is not such an event
   */
  static RequestEvent parse(String line) throws IOException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return new Reader().read(bytes, 0, bytes.length);
  }

  /**
   * Reads lines back, one after another: a field at a time with Jackson's streaming parser (a tree
   * per line cost twice as much, {@code bench/results/events-indexer-2026-12-06.md}), and the time
   * to the second parsed once for all the events of that second. Not thread-safe.
   */
  static final class Reader {
    private final byte[] cachedSecond = new byte[19];
    private long cachedEpochSecond = Long.MIN_VALUE;

    /**
     * The event in {@code length} bytes of UTF-8 from {@code from}, without the line break.
     *
     * @throws IOException when they are not such an event
     */
    RequestEvent read(byte[] a, int from, int length) throws IOException {
      Instant time = null;
      String requestId = null;
      String node = null;
      String api = null;
      String method = null;
      String path = null;
      int status = 0;
      String outcome = null;
      String code = null;
      String reason = null;
      String keyId = null;
      String developerId = null;
      String clientIp = null;
      String userAgent = null;
      long latency = 0;
      long upstreamLatency = 0;
      try (JsonParser p = JSON.getFactory().createParser(a, from, length)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("not a request event: not a JSON object");
        }
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          switch (field) {
            case "time" -> time = time(p.getText());
            case "request_id" -> requestId = text(p, value);
            case "node" -> node = text(p, value);
            case "api" -> api = text(p, value);
            case "method" -> method = text(p, value);
            case "path" -> path = text(p, value);
            case "status" -> status = value.isNumeric() ? p.getIntValue() : 0;
            case "outcome" -> outcome = text(p, value);
            case "code" -> code = text(p, value);
            case "reason" -> reason = text(p, value);
            case "key_id" -> keyId = text(p, value);
            case "developer_id" -> developerId = text(p, value);
            case "client_ip" -> clientIp = text(p, value);
            case "user_agent" -> userAgent = text(p, value);
            case "latency_us" -> latency = value.isNumeric() ? p.getLongValue() : 0;
            case "upstream_latency_us" ->
                upstreamLatency = value.isNumeric() ? p.getLongValue() : 0;
            default -> p.skipChildren(); // a field of a later version
          }
        }
      } catch (JsonProcessingException e) {
        throw new IOException("not a request event: " + e.getOriginalMessage(), e);
      }
      return new RequestEvent(
          required(time, "time"),
          required(requestId, "request_id"),
          required(node, "node"),
          api,
          required(method, "method"),
          required(path, "path"),
          status,
          required(outcome, "outcome"),
          code,
          reason,
          keyId,
          developerId,
          required(clientIp, "client_ip"),
          userAgent,
          latency,
          upstreamLatency);
    }

    private static @Nullable String text(JsonParser p, JsonToken value) throws IOException {
      return value == JsonToken.VALUE_NULL ? null : p.getText();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, the second reused from the last event. */
    private Instant time(@Nullable String text) throws IOException {
      if (text == null) {
        throw new IOException("not a request event: no time");
      }
      try {
        if (text.length() < 20 || text.charAt(19) != '.' && text.charAt(19) != 'Z') {
          return Instant.parse(text); // a year outside 1000-9999: as Instant writes it
        }
        if (!sameSecond(text)) {
          cachedEpochSecond = Instant.parse(text.substring(0, 19) + 'Z').getEpochSecond();
          for (int i = 0; i < 19; i++) {
            cachedSecond[i] = (byte) text.charAt(i);
          }
        }
        return Instant.ofEpochSecond(cachedEpochSecond, nanos(text));
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new IOException("not a request event: " + e.getMessage(), e);
      }
    }

    private boolean sameSecond(String text) {
      if (cachedEpochSecond == Long.MIN_VALUE) {
        return false;
      }
      for (int i = 0; i < 19; i++) {
        if (cachedSecond[i] != text.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** The fraction after the second, in nanoseconds: up to nine digits, then the final Z. */
    private static int nanos(String text) {
      int end = text.length() - 1;
      if (text.charAt(end) != 'Z') {
        throw new NumberFormatException("no Z at the end of " + text);
      }
      if (end == 19) {
        return 0;
      }
      int digits = end - 20;
      if (digits < 1 || digits > 9) {
        throw new NumberFormatException("a fraction of 1 to 9 digits expected in " + text);
      }
      int n = 0;
      for (int i = 20; i < end; i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          throw new NumberFormatException("not a digit in " + text);
        }
        n = n * 10 + (c - '0');
      }
      for (int i = digits; i < 9; i++) {
        n *= 10;
      }
      return n;
    }
  }

  private static <T> T required(@Nullable T value, String field) throws IOException {
    if (value == null) {
      throw new IOException("not a request event: no " + field);
    }
    return value;
  }
}
