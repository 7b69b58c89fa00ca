package io.xecure.net;

import io.netty.util.NetUtil;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a /32 or
 * /128). Parsing accepts literals only: nothing here ever resolves a name.
 */
public final class Cidr {
  private final byte[] network;
  private final int bits;
  private final String text;

  private Cidr(byte[] network, int bits, String text) {
    this.network = network;
    this.bits = bits;
    this.text = text;
  }

  /** Parses {@code spec}; null when it is not a literal address with an optional valid prefix. */
  public static @Nullable Cidr parse(String spec) {
    String s = spec.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return null;
    }
    int max = bytes.length * 8;
    int bits = max;
    if (slash >= 0) {
      String prefix = s.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
        return null;
      }
      bits = Integer.parseInt(prefix);
      if (bits > max) {
        return null;
      }
    }
    mask(bytes, bits);
    return new Cidr(bytes, bits, s);
  }

  /** Whether the literal address {@code ip} is in this network; false for anything unparseable. */
  public boolean contains(String ip) {
    byte[] bytes = address(ip);
    return bytes != null && contains(bytes);
  }

  /**
   * The bytes of a literal IPv4 (4) or IPv6 (16) address, for checking one address against several
   * networks with {@link #contains(byte[])}; null when {@code ip} is not a literal address.
   */
  public static byte @Nullable [] address(String ip) {
    return NetUtil.createByteArrayFromIpAddressString(ip);
  }

  public boolean contains(byte[] address) {
    byte[] a = address;
    if (a.length != network.length) {
      a = mapped(a, network.length);
      if (a == null) {
        return false;
      }
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int m = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & m) == (network[full] & 0xFF);
  }

  /** IPv4-mapped IPv6 ({@code ::ffff:1.2.3.4}) compared as IPv4, and IPv4 against ::ffff:0:0/96. */
  private static byte @Nullable [] mapped(byte[] a, int length) {
    if (a.length == 4 && length == 16) {
      byte[] v6 = new byte[16];
      v6[10] = (byte) 0xFF;
      v6[11] = (byte) 0xFF;
      System.arraycopy(a, 0, v6, 12, 4);
      return v6;
    }
    if (a.length == 16 && length == 4) {
      for (int i = 0; i < 10; i++) {
        if (a[i] != 0) {
          return null;
        }
      }
      if (a[10] != (byte) 0xFF || a[11] != (byte) 0xFF) {
        return null;
      }
      return new byte[] {a[12], a[13], a[14], a[15]};
    }
    return null;
  }

  private static void mask(byte[] bytes, int bits) {
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      bytes[i] &= (byte) ((0xFF << (8 - keep)) & 0xFF);
    }
  }

  /** Equal when the same network: {@code 10.0.0.1/8} equals {@code 10.0.0.0/8}. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Cidr c && bits == c.bits && Arrays.equals(network, c.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + bits;
  }

  @Override
  public String toString() {
    return text;
  }
}
