package io.xecure.model;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A bearer credential of an operator, kept only as a SHA-256 of its plaintext: a personal API token
 * (named, valid until revoked) or a console session (opened by a sign-in, with an absolute expiry).
 *
 * @param expiresAt null for a personal token
 * @param lastUsedAt null until first used; updated at most about once a minute
 * @param revokedAt null while valid
 */
public record OperatorToken(
    String id,
    String operatorId,
    Kind kind,
    String name,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant lastUsedAt,
    @Nullable Instant revokedAt) {

  /** A personal API token or a sign-in session. */
  public enum Kind {
    TOKEN,
    SESSION;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
