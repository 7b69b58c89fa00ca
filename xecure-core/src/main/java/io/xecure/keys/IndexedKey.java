package io.xecure.keys;

import io.xecure.store.ApiKeyRecord;
import io.xecure.store.KeyStatus;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the request path needs of a key, resolved once when the key is loaded or changed: timestamps
 * as epoch millis, rights as sets. Immutable; a change replaces the whole entry.
 */
public record IndexedKey(
    String id,
    String identityId,
    String developerId,
    KeyStatus status,
    long expiresAtMillis,
    long graceUntilMillis,
    boolean allApis,
    Set<String> apis,
    Set<String> scopes,
    List<String> allowedCidrs,
    @Nullable String plan) {

  private static final long NEVER = Long.MAX_VALUE;

  public static IndexedKey of(ApiKeyRecord r) {
    return of(r, Interner.NONE);
  }

  /** Builds the entry, sharing equal strings and sets through {@code interner}. */
  static IndexedKey of(ApiKeyRecord r, Interner interner) {
    String plan = r.plan();
    return new IndexedKey(
        r.id(),
        r.identityId().equals(r.id()) ? r.id() : r.identityId(),
        interner.share(r.developerId()),
        r.status(),
        millis(r.expiresAt()),
        millis(r.graceUntil()),
        r.apis().contains("*"),
        interner.share(Set.copyOf(r.apis())),
        interner.share(Set.copyOf(r.scopes())),
        interner.share(List.copyOf(r.allowedCidrs())),
        plan == null ? null : interner.share(plan));
  }

  /** Shares equal immutable values between entries: a million keys have few distinct rights. */
  interface Interner {
    Interner NONE =
        new Interner() {
          @Override
          public <T> T share(T value) {
            return value;
          }
        };

    <T> T share(T value);
  }

  private static long millis(@Nullable Instant t) {
    return t == null ? NEVER : t.toEpochMilli();
  }

  /** Whether the key has expired at {@code nowMillis}, by its expiry or its rotation grace. */
  public boolean expiredAt(long nowMillis) {
    return status == KeyStatus.EXPIRED
        || nowMillis >= expiresAtMillis
        || nowMillis >= graceUntilMillis;
  }

  public boolean grants(String api) {
    return allApis || apis.contains(api);
  }
}
