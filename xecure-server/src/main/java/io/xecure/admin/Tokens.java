package io.xecure.admin;

/** API names and scopes: visible ASCII without spaces, so they match config and headers exactly. */
final class Tokens {
  private Tokens() {}

  static boolean valid(String s, int maxLength) {
    if (s.isEmpty() || s.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return false;
      }
    }
    return true;
  }
}
