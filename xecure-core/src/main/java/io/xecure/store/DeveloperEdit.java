package io.xecure.store;

import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import org.jspecify.annotations.Nullable;

/**
 * A change to some of a developer's fields, written field by field: only the fields it sets (non
 * null) are written, so a suspend racing a change of the name or email never undoes, or is undone
 * by, the other.
 */
public record DeveloperEdit(
    @Nullable String name, @Nullable String email, @Nullable DeveloperStatus status) {

  /** Whether the edit sets nothing. */
  public boolean empty() {
    return name == null && email == null && status == null;
  }

  /** {@code developer} with this edit applied. */
  public Developer applyTo(Developer developer) {
    return new Developer(
        developer.id(),
        name == null ? developer.name() : name,
        email == null ? developer.email() : email,
        status == null ? developer.status() : status,
        developer.createdAt());
  }
}
