package io.xecure.operators;

import io.xecure.model.OperatorRole;
import org.jspecify.annotations.Nullable;

/**
 * Who an admin request acts as, once authenticated: the bootstrap owner (the configured admin
 * token), or an operator through a sign-in session or one of its personal tokens.
 *
 * @param actor what admin events record as having acted: {@code admin} for the bootstrap token, the
 *     operator's id for a session, {@code <operator id>/<token id>} for a personal token
 * @param operatorId null for the bootstrap token
 * @param tokenId the session's or personal token's id; null for the bootstrap token
 * @param session whether this is a sign-in session (whose cookie needs a CSRF token)
 */
public record Principal(
    String actor,
    OperatorRole role,
    @Nullable String operatorId,
    @Nullable String tokenId,
    boolean session) {

  /** The configured admin token: an owner, recorded as {@code admin} as before operators. */
  public static final Principal BOOTSTRAP =
      new Principal("admin", OperatorRole.OWNER, null, null, false);
}
