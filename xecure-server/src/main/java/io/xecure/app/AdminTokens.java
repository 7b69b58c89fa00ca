package io.xecure.app;

import io.xecure.keys.Base62;
import java.security.SecureRandom;

/** Admin tokens generated at start-up when none is configured: 40 base62 chars, 238 bits. */
public final class AdminTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AdminTokens() {}

  public static String generate() {
    StringBuilder token = new StringBuilder("xat_");
    Base62.appendRandom(token, RANDOM, 40);
    return token.toString();
  }
}
