package io.xecure.store;

public enum DeveloperStatus {
  ACTIVE,
  SUSPENDED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
