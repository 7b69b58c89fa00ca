package io.xecure.net;

import io.netty.util.NetUtil;

/**
 * The part of a client address that stands for one client when counting its requests or failures:
 * an IPv4 address itself, an IPv6 address by its /64. One subscriber or host usually holds a whole
 * IPv6 /64, so counting single IPv6 addresses would let one client rotate through 2^64 identities
 * (and flood the counters with them).
 */
public final class ClientNetwork {
  private ClientNetwork() {}

  /**
   * {@code 203.0.113.7} for itself, {@code 2001:db8:1:2::/64} for any address in that /64, an
   * IPv4-mapped IPv6 address as its IPv4 address, anything unparseable as given.
   */
  public static String of(String ip) {
    if (ip.indexOf(':') < 0) {
      return ip;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
    if (bytes == null || bytes.length != 16) {
      return ip;
    }
    if (isMappedIpv4(bytes)) {
      return (bytes[12] & 0xFF)
          + "."
          + (bytes[13] & 0xFF)
          + "."
          + (bytes[14] & 0xFF)
          + "."
          + (bytes[15] & 0xFF);
    }
    StringBuilder prefix = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF)));
      prefix.append(':');
    }
    return prefix.append(":/64").toString();
  }

  private static boolean isMappedIpv4(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
  }
}
