package io.xecure.model;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One alert: an anomaly of one {@link AlertType} about one subject, open until an operator
 * acknowledges it. While open, every new occurrence of the same type and subject counts into it
 * ({@code count}, {@code lastSeen}, the latest {@code detail}) instead of opening another.
 *
 * @param subject what the alert is about: a client IP or network (brute_force), a key id, or a
 *     developer id (quota_near under a per-developer plan); never a plaintext key
 * @param detail a human-readable description of the latest occurrence
 * @param count occurrences since it opened, at least 1
 * @param ackedAt when it was acknowledged; null while open
 * @param ackedBy who acknowledged it; null while open
 */
public record Alert(
    String id,
    AlertType type,
    String subject,
    String detail,
    Instant firstSeen,
    Instant lastSeen,
    long count,
    Status status,
    @Nullable Instant ackedAt,
    @Nullable String ackedBy) {

  public enum Status {
    OPEN,
    ACKNOWLEDGED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a wire name, or null when there is none. */
    public static @Nullable Status of(String wire) {
      for (Status s : values()) {
        if (s.wire().equals(wire)) {
          return s;
        }
      }
      return null;
    }
  }
}
