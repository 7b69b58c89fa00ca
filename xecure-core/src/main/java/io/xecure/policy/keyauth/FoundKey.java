package io.xecure.policy.keyauth;

/** A key candidate and where it was found. Never logged: {@link #toString} hides the value. */
record FoundKey(KeyLocation location, String value) {
  @Override
  public String toString() {
    return "FoundKey[" + location + "]";
  }
}
