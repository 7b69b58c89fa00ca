package io.xecure.service;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.KeyStatus;
import io.xecure.store.ApiKeyStore;
import io.xecure.store.KeyFilter;
import io.xecure.store.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Lists keys by the status callers see. The store knows only the stored status, while "expired"
 * also follows from time; so {@code active} and {@code expired} filter store pages here, reading
 * ahead a bounded number of pages to fill one. The cursor is always the last id examined.
 */
final class KeyLister {
  private static final int MAX_READS = 10;

  private final ApiKeyStore store;
  private final Clock clock;

  KeyLister(ApiKeyStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  Page<ApiKeyRecord> list(
      @Nullable String developerId,
      @Nullable KeyStatus status,
      int limit,
      @Nullable String cursor) {
    if (status == null || status == KeyStatus.REVOKED) {
      return store.keys(new KeyFilter(developerId, status), limit, cursor);
    }
    // stored-active keys may be expired by time; stored-expired ones are expired for good
    KeyFilter stored = new KeyFilter(developerId, status == KeyStatus.ACTIVE ? status : null);
    Instant now = clock.instant();
    List<ApiKeyRecord> items = new ArrayList<>(limit);
    String next = cursor;
    for (int reads = 0; reads < MAX_READS; reads++) {
      Page<ApiKeyRecord> page = store.keys(stored, limit, next);
      List<ApiKeyRecord> scanned = page.items();
      for (int i = 0; i < scanned.size(); i++) {
        ApiKeyRecord key = scanned.get(i);
        next = key.id();
        if (KeyService.effectiveStatus(key, now) == status) {
          items.add(key);
          if (items.size() == limit) {
            boolean more = i < scanned.size() - 1 || page.nextCursor() != null;
            return new Page<>(items, more ? next : null);
          }
        }
      }
      if (page.nextCursor() == null) {
        return new Page<>(items, null);
      }
      next = page.nextCursor();
    }
    return new Page<>(items, next);
  }
}
