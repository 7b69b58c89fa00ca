package io.xecure.operators;

import io.xecure.keys.Base62;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Plaintexts of operator credentials and what is kept of them: 40 base62 characters (238 bits)
 * after a prefix that says what they are ({@code xot_} personal token, {@code xos_} session). So
 * much entropy needs no slow hash: the store keeps a SHA-256.
 */
final class OperatorTokens {
  static final String PERSONAL = "xot_";
  static final String SESSION = "xos_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private OperatorTokens() {}

  static String generate(String prefix) {
    StringBuilder token = new StringBuilder(prefix);
    Base62.appendRandom(token, RANDOM, 40);
    return token.toString();
  }

  /** 64 lower-case hex digits. */
  static String hash(String plaintext) {
    return HexFormat.of().formatHex(sha256(plaintext));
  }

  /**
   * The CSRF token of a session: derived from the session token, so nothing more is stored, and
   * one-way, so a page that shows it gives nothing of the session away.
   */
  static String csrf(String sessionToken) {
    return HexFormat.of().formatHex(sha256("csrf\0" + sessionToken));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
