package io.xecure.accounts;

import io.xecure.keys.Base62;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Plaintexts of account credentials (sessions, personal tokens, invitation links) and what is kept
 * of them: 40 base62 characters (238 bits) after a prefix that says what they are. So much entropy
 * needs no slow hash: the store keeps a SHA-256.
 */
public final class AccountTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AccountTokens() {}

  /** A new plaintext: {@code prefix} and 40 random base62 characters. */
  public static String generate(String prefix) {
    StringBuilder token = new StringBuilder(prefix);
    Base62.appendRandom(token, RANDOM, 40);
    return token.toString();
  }

  /** What the store keeps of a plaintext: 64 lower-case hex digits. */
  public static String hash(String plaintext) {
    return HexFormat.of().formatHex(sha256(plaintext));
  }

  /**
   * The CSRF token of a session: derived from the session token, so nothing more is stored, and
   * one-way, so a page that shows it gives nothing of the session away.
   *
   * @param purpose sets one kind of session's CSRF tokens apart from another's
   */
  public static String csrf(String purpose, String sessionToken) {
    return HexFormat.of().formatHex(sha256(purpose + "\0" + sessionToken));
  }

  /** Whether {@code presented} is the CSRF token of {@code sessionToken}, in constant time. */
  public static boolean csrfMatches(
      String purpose, String sessionToken, @Nullable String presented) {
    return presented != null
        && MessageDigest.isEqual(
            csrf(purpose, sessionToken).getBytes(StandardCharsets.UTF_8),
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
