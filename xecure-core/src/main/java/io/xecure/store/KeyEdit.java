package io.xecure.store;

import io.xecure.model.ApiKeyRecord;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A change to some of a key's name and rights, written field by field: only the fields it sets are
 * written, so two admins changing different fields, or a change racing a revocation, never undo
 * each other. Null list and name fields stay as they are; the expiry and the plan are written when
 * {@code setExpiry} / {@code setPlan}, possibly to null (cleared).
 */
public record KeyEdit(
    @Nullable String name,
    @Nullable List<String> apis,
    @Nullable List<String> scopes,
    @Nullable List<String> allowedCidrs,
    boolean setExpiry,
    @Nullable Instant expiresAt,
    boolean setPlan,
    @Nullable String plan) {

  /** Whether the edit sets nothing. */
  public boolean empty() {
    return name == null
        && apis == null
        && scopes == null
        && allowedCidrs == null
        && !setExpiry
        && !setPlan;
  }

  /** {@code key} with this edit applied. */
  public ApiKeyRecord applyTo(ApiKeyRecord key) {
    return key.withRights(
        name == null ? key.name() : name,
        apis == null ? key.apis() : apis,
        scopes == null ? key.scopes() : scopes,
        allowedCidrs == null ? key.allowedCidrs() : allowedCidrs,
        setExpiry ? expiresAt : key.expiresAt(),
        setPlan ? plan : key.plan());
  }
}
