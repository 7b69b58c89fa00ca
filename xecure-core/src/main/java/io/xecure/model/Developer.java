package io.xecure.model;

import java.time.Instant;

/** An API consumer. */
public record Developer(
    String id, String name, String email, DeveloperStatus status, Instant createdAt) {
  public Developer withStatus(DeveloperStatus s) {
    return new Developer(id, name, email, s, createdAt);
  }
}
