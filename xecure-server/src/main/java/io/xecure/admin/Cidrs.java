package io.xecure.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Validates {@code allowed_cidrs} entries: an IPv4 or IPv6 address with an optional prefix length.
 * The text is checked to be an address literal before {@link InetAddress} sees it, so validation
 * never triggers a DNS look-up.
 */
final class Cidrs {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  // starts with a hex digit or ':' and holds a ':', so InetAddress parses it as a literal
  private static final Pattern IPV6 = Pattern.compile("(?=[^:]*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");
  private static final Pattern PREFIX = Pattern.compile("0|[1-9]\\d{0,2}");

  private Cidrs() {}

  /**
   * The entry in canonical CIDR form ({@code 10.0.0.0/8}; a bare address gets /32 or /128), or null
   * when it is not valid.
   */
  static @Nullable String normalize(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    String prefix = slash < 0 ? null : text.substring(slash + 1);
    boolean v4 = IPV4.matcher(address).matches();
    if (!v4 && !IPV6.matcher(address).matches()) {
      return null;
    }
    int max = v4 ? 32 : 128;
    int bits = max;
    if (prefix != null) {
      if (!PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > max) {
        return null;
      }
      bits = Integer.parseInt(prefix);
    }
    try {
      InetAddress parsed = InetAddress.getByName(address);
      if (!v4 && parsed.getAddress().length != 16) {
        return null; // "::ffff:1.2.3.4" comes back as IPv4: ask for the IPv4 form instead
      }
      return parsed.getHostAddress() + "/" + bits;
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
