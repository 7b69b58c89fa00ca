package io.xecure.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The key format of SPEC §4: {@code <prefix><32 random base62><6 base62 of CRC32(prefix+random)>}.
 * 32 base62 characters carry 190.5 bits from a CSPRNG. The checksum lets {@link KeyVerifier} reject
 * typos and random strings without a look-up, and lets secret scanners recognise our keys.
 *
 * <p>Imported keys (moved from another gateway) need not follow the format; they are at least
 * {@value #MIN_IMPORTED_LENGTH} printable characters and are only ever looked up by hash.
 */
public final class KeyFormat {
  public static final int RANDOM_LENGTH = 32;
  public static final int CHECKSUM_LENGTH = 6;
  public static final int DISPLAY_PREFIX_LENGTH = 8;
  public static final int MIN_IMPORTED_LENGTH = 20;
  public static final int MAX_KEY_LENGTH = 256;

  private final String prefix;
  private final int length;
  private final SecureRandom random = new SecureRandom();

  public KeyFormat(String prefix) {
    this.prefix = prefix;
    this.length = prefix.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
  }

  public String prefix() {
    return prefix;
  }

  /** A new key, e.g. {@code xk_4fJ2...}. */
  public String generate() {
    StringBuilder key = new StringBuilder(length);
    key.append(prefix);
    Base62.appendRandom(key, random, RANDOM_LENGTH);
    Base62.appendFixed(key, crc(key, key.length()), CHECKSUM_LENGTH);
    return key.toString();
  }

  /** Whether {@code key} claims to be one of ours: our prefix and our length. */
  public boolean looksGenerated(String key) {
    return key.length() == length && key.startsWith(prefix);
  }

  /** For a key that {@link #looksGenerated}: digits are base62 and the checksum matches. */
  public boolean checksumValid(String key) {
    int end = length - CHECKSUM_LENGTH;
    for (int i = prefix.length(); i < end; i++) {
      if (!Base62.isDigit(key.charAt(i))) {
        return false;
      }
    }
    long stated = 0;
    for (int i = end; i < length; i++) {
      char c = key.charAt(i);
      if (!Base62.isDigit(c)) {
        return false;
      }
      stated = stated * 62 + Base62.value(c);
    }
    // the key is ASCII here: one bulk CRC over its bytes, no per-char updates
    CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.ISO_8859_1), 0, end);
    return crc.getValue() == stated;
  }

  /**
   * Whether {@code key} can possibly be a stored key: one of ours with a valid checksum, or an
   * imported key of plausible length made of visible ASCII. Strings failing this are never hashed.
   */
  public boolean plausible(String key) {
    if (looksGenerated(key)) {
      return checksumValid(key);
    }
    return importable(key);
  }

  /** Whether an operator may import {@code key}: 20 to 256 visible ASCII characters. */
  public static boolean importable(String key) {
    int n = key.length();
    if (n < MIN_IMPORTED_LENGTH || n > MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** The part shown in lists: the first 8 characters after the prefix (or of an imported key). */
  public String displayPrefix(String key) {
    int start = key.startsWith(prefix) ? prefix.length() : 0;
    return key.substring(start, Math.min(key.length(), start + DISPLAY_PREFIX_LENGTH));
  }

  private static long crc(CharSequence s, int end) {
    CRC32 crc = new CRC32();
    for (int i = 0; i < end; i++) {
      crc.update(s.charAt(i));
    }
    return crc.getValue();
  }
}
