package io.xecure.service;

import io.xecure.store.KeyEdit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A change to a key's name and rights; null fields stay as they are. The optional fields use {@link
 * Change} because "set to none" (clear the expiry) differs from "leave as is".
 */
public record KeyPatch(
    @Nullable String name,
    @Nullable List<String> apis,
    @Nullable List<String> scopes,
    @Nullable List<String> allowedCidrs,
    @Nullable Change<Instant> expiresAt,
    @Nullable Change<String> plan) {

  /** Set the field to {@code value}; a null value clears it. */
  public record Change<T>(@Nullable T value) {}

  /** The store's field-level edit: only the fields this patch sets. */
  public KeyEdit edit() {
    return new KeyEdit(
        name,
        apis,
        scopes,
        allowedCidrs,
        expiresAt != null,
        expiresAt == null ? null : expiresAt.value(),
        plan != null,
        plan == null ? null : plan.value());
  }

  /** The names of the fields this patch sets, for the audit event. */
  List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    addIf(names, name, "name");
    addIf(names, apis, "apis");
    addIf(names, scopes, "scopes");
    addIf(names, allowedCidrs, "allowed_cidrs");
    addIf(names, expiresAt, "expires_at");
    addIf(names, plan, "plan");
    return names;
  }

  private static void addIf(List<String> names, @Nullable Object field, String name) {
    if (field != null) {
      names.add(name);
    }
  }
}
