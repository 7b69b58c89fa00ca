package io.xecure.model;

public enum DeveloperStatus {
  ACTIVE,
  SUSPENDED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
