package io.xecure.model;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * A 256-bit key digest as four longs: a compact, allocation-light map key for the {@link KeyIndex}
 * (one 48-byte object instead of an object plus a byte array).
 */
public final class KeyHash {
  private final long a;
  private final long b;
  private final long c;
  private final long d;

  private KeyHash(long a, long b, long c, long d) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  public static KeyHash of(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a key hash is 32 bytes, got " + digest.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(digest);
    return new KeyHash(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
  }

  /** From 64 hex digits (either case), as the store keeps it; without an intermediate array. */
  public static KeyHash ofHex(String hex) {
    if (hex.length() != 64) {
      return of(HexFormat.of().parseHex(hex));
    }
    return new KeyHash(
        HexFormat.fromHexDigitsToLong(hex, 0, 16),
        HexFormat.fromHexDigitsToLong(hex, 16, 32),
        HexFormat.fromHexDigitsToLong(hex, 32, 48),
        HexFormat.fromHexDigitsToLong(hex, 48, 64));
  }

  /** The digest's first eight bytes, big-endian; {@code word1} to {@code word3} the next ones. */
  public long word0() {
    return a;
  }

  public long word1() {
    return b;
  }

  public long word2() {
    return c;
  }

  public long word3() {
    return d;
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array();
  }

  public String toHex() {
    return HexFormat.of().formatHex(toBytes());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof KeyHash h && h.a == a && h.b == b && h.c == c && h.d == d;
  }

  @Override
  public int hashCode() {
    // the digest is uniformly distributed already
    return (int) (a ^ (a >>> 32));
  }

  @Override
  public String toString() {
    return "KeyHash[" + Long.toHexString(a) + "…]";
  }
}
