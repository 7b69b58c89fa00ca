package io.xecure.model;

/** A key's stored status. Expiry by time is also derived on each check from {@code expires_at}. */
public enum KeyStatus {
  ACTIVE,
  REVOKED,
  EXPIRED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
