package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parsers for the value types of the configuration; each failure says what was expected. */
public final class Values {
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)?");
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,15}) ?(b|kb|kib|mb|mib|gb|gib)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final long GIB = 1L << 30;

  public static final String NAME_RULE = "must be 1 to 64 characters of a-z, 0-9, _ and -";
  public static final String DURATION_EXAMPLES = "such as 500ms, 30s, 5m, 24h or 7d";

  private Values() {}

  /** A string; numbers and booleans count as their text, since YAML types unquoted values. */
  public static String text(JsonNode value) throws BadValue {
    if (value.isTextual() || value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    throw BadValue.got("must be a string", value);
  }

  public static boolean bool(JsonNode value) throws BadValue {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    String text = value.isTextual() ? value.textValue().trim().toLowerCase(Locale.ROOT) : "";
    if (text.equals("true") || text.equals("false")) {
      return text.equals("true");
    }
    throw BadValue.got("must be true or false", value);
  }

  public static int port(JsonNode value) throws BadValue {
    return (int) integer(value, 0, 65535, "must be an integer from 0 to 65535");
  }

  public static long positive(JsonNode value) throws BadValue {
    return integer(value, 1, Long.MAX_VALUE, "must be a positive integer");
  }

  public static long integer(JsonNode value, long min, long max, String must) throws BadValue {
    Long parsed = null;
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      parsed = value.longValue();
    } else if (value.isTextual() && INTEGER.matcher(value.textValue().trim()).matches()) {
      parsed = Long.parseLong(value.textValue().trim());
    }
    if (parsed == null || parsed < min || parsed > max) {
      throw BadValue.got(must, value);
    }
    return parsed;
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}; a bare integer is seconds. */
  public static Duration duration(JsonNode value) throws BadValue {
    Duration parsed = durationOrNull(value);
    if (parsed == null) {
      throw BadValue.got("must be a duration " + DURATION_EXAMPLES, value);
    }
    return parsed;
  }

  public static Duration positiveDuration(JsonNode value) throws BadValue {
    Duration parsed = durationOrNull(value);
    if (parsed == null || parsed.isZero()) {
      throw BadValue.got("must be a positive duration " + DURATION_EXAMPLES, value);
    }
    return parsed;
  }

  private static @Nullable Duration durationOrNull(JsonNode value) {
    String text = value.isIntegralNumber() || value.isTextual() ? value.asText().trim() : "";
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  /** Whole seconds: an integer, or a duration such as 10m. */
  public static long seconds(JsonNode value) throws BadValue {
    Duration parsed = durationOrNull(value);
    if (parsed == null) {
      throw BadValue.got("must be a number of seconds or a duration such as 10m", value);
    }
    return parsed.toSeconds();
  }

  /** The shortest form {@link #duration} reads back to the same value. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds != 0 && seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds != 0 && seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds != 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  /**
   * Bytes: an integer, or a number with a unit: KiB/MiB/GiB are powers of 1024, KB/MB/GB of 1000.
   * At most 1 GiB, since a body read for its key is held in memory.
   */
  public static long size(JsonNode value) throws BadValue {
    String text = value.isIntegralNumber() || value.isTextual() ? value.asText().trim() : "";
    Matcher m = SIZE.matcher(text);
    long bytes = m.matches() ? Long.parseLong(m.group(1)) * unit(m.group(2)) : 0;
    if (bytes < 1 || bytes > GIB) {
      throw BadValue.got("must be a size such as 512KiB, 1MiB or 10MB (1 byte to 1GiB)", value);
    }
    return bytes;
  }

  private static long unit(@Nullable String unit) {
    return switch (unit == null ? "b" : unit.toLowerCase(Locale.ROOT)) {
      case "kb" -> 1000;
      case "kib" -> 1024;
      case "mb" -> 1000_000;
      case "mib" -> 1024 * 1024;
      case "gb" -> 1000_000_000;
      case "gib" -> GIB;
      default -> 1;
    };
  }

  /** A path of a file: not blank, no NUL. */
  public static String filePath(JsonNode value) throws BadValue {
    String text = text(value).trim();
    if (text.isEmpty() || text.indexOf('\0') >= 0) {
      throw BadValue.got("must be a file path", value);
    }
    return text;
  }

  /** A name of an API or a plan: it appears in URLs, metrics and events, so it stays plain. */
  public static String name(JsonNode value) throws BadValue {
    String text = text(value);
    if (!isName(text)) {
      throw BadValue.got(NAME_RULE, value);
    }
    return text;
  }

  public static boolean isName(String text) {
    return NAME.matcher(text).matches();
  }

  /** An address to listen on: an IP literal or a host name (checked by form only: no DNS). */
  public static String bindAddress(JsonNode value) throws BadValue {
    String text = text(value).trim();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1); // [::1] as in a URL
    }
    boolean dotted = text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    boolean valid = dotted ? isIp(text) : isIp(text) || HOST_NAME.matcher(text).matches();
    if (!valid) {
      throw BadValue.got("must be an IP address or a host name", value);
    }
    return text;
  }

  /** An IPv4 or IPv6 literal without brackets; checked by form only. */
  private static boolean isIp(String text) {
    return NetUtil.isValidIpV4Address(text)
        || (!text.startsWith("[") && NetUtil.isValidIpV6Address(text));
  }

  public static boolean isLoopback(String address) {
    if (address.equalsIgnoreCase("localhost")) {
      return true;
    }
    InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
    return ip != null && ip.isLoopbackAddress();
  }

  /** An IPv4 or IPv6 CIDR; a bare address stands for itself (/32 or /128). */
  public static String cidr(JsonNode value) throws BadValue {
    String text = text(value).trim();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    boolean v4 = NetUtil.isValidIpV4Address(address);
    int max = v4 ? 32 : 128;
    String bits = slash < 0 ? String.valueOf(max) : text.substring(slash + 1);
    if (!isIp(address) || !bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
      throw BadValue.got("must be an IP address or a CIDR such as 10.0.0.0/8 or fd00::/8", value);
    }
    return address + "/" + bits;
  }

  /** An HTTP method token, upper-cased (methods are case-sensitive; config is not). */
  public static String method(JsonNode value) throws BadValue {
    String text = text(value).trim();
    if (!TOKEN.matcher(text).matches()) {
      throw BadValue.got("must be an HTTP method such as GET", value);
    }
    return text.toUpperCase(Locale.ROOT);
  }

  public static String headerName(JsonNode value) throws BadValue {
    String text = text(value).trim();
    if (!TOKEN.matcher(text).matches()) {
      throw BadValue.got("must be a header name", value);
    }
    return text;
  }

  /** A URL as it may be shown in a message: user info and password parameters masked. */
  public static String redact(String url) {
    return url.replaceAll("//[^/@?#]*@", "//***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
