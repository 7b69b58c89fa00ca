package io.xecure.portal;

import io.xecure.keys.Base62;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Plaintexts of portal credentials: 40 base62 characters (238 bits) after a prefix that says what
 * they are ({@code xpi_} invitation, {@code xps_} session). So much entropy needs no slow hash: the
 * store keeps a SHA-256.
 */
final class PortalTokens {
  static final String INVITATION = "xpi_";
  static final String SESSION = "xps_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PortalTokens() {}

  static String generate(String prefix) {
    StringBuilder token = new StringBuilder(prefix);
    Base62.appendRandom(token, RANDOM, 40);
    return token.toString();
  }

  /** 64 lower-case hex digits. */
  static String hash(String plaintext) {
    return HexFormat.of().formatHex(sha256(plaintext));
  }

  /** The CSRF token of a session: derived, so nothing more is stored, and one-way. */
  static String csrf(String sessionToken) {
    return HexFormat.of().formatHex(sha256("portal-csrf\0" + sessionToken));
  }

  /** Whether {@code presented} is the CSRF token of {@code sessionToken}, in constant time. */
  static boolean csrfMatches(
      String sessionToken, @org.jspecify.annotations.Nullable String presented) {
    return presented != null
        && MessageDigest.isEqual(
            csrf(sessionToken).getBytes(StandardCharsets.UTF_8),
            presented.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
