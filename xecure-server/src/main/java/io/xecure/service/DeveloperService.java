package io.xecure.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.keys.KeyIndex;
import io.xecure.store.ApiKeyRecord;
import io.xecure.store.Developer;
import io.xecure.store.DeveloperStatus;
import io.xecure.store.KeyFilter;
import io.xecure.store.Page;
import io.xecure.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Creates, reads, changes and deletes developers. Each operation runs its store calls on a worker
 * and updates the {@link KeyIndex} before its future completes, so the next request sees the
 * change. Futures fail with {@link ServiceException} (unknown id) or {@link
 * io.xecure.store.StoreUnavailableException}.
 */
public final class DeveloperService {
  private static final int PAGE = 1000;

  private final Vertx vertx;
  private final Store store;
  private final KeyIndex index;
  private final Clock clock;
  private final Audit audit;

  public DeveloperService(Vertx vertx, Store store, KeyIndex index, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.index = index;
    this.clock = clock;
    this.audit = new Audit(store, clock);
  }

  public Future<Developer> create(String actor, String name, String email) {
    return blocking(
        () -> {
          Developer developer =
              store.insertDeveloper(
                  new Developer(Ids.developer(clock), name, email, DeveloperStatus.ACTIVE, now()));
          index.putDeveloper(developer);
          audit.record(actor, "developer.created", developer.id(), "status=active");
          return developer;
        });
  }

  public Future<Developer> get(String id) {
    return blocking(() -> find(id));
  }

  /** Developers ordered by id (so by creation); {@code cursor} is the previous page's last id. */
  public Future<Page<Developer>> list(int limit, @Nullable String cursor) {
    return blocking(() -> store.developers(limit, cursor));
  }

  public Future<Developer> update(String actor, String id, DeveloperPatch patch) {
    return blocking(
        () -> {
          Developer old = find(id);
          Developer changed =
              new Developer(
                  id,
                  patch.name() == null ? old.name() : patch.name(),
                  patch.email() == null ? old.email() : patch.email(),
                  patch.status() == null ? old.status() : patch.status(),
                  old.createdAt());
          Developer saved = store.updateDeveloper(changed).orElseThrow(() -> notFound(id));
          index.putDeveloper(saved);
          audit.record(actor, "developer.updated", id, changes(old, saved));
          return saved;
        });
  }

  /** Deletes the developer and revokes its keys; answers the ids of the keys revoked. */
  public Future<List<String>> delete(String actor, String id) {
    return blocking(
        () -> {
          List<String> revoked = store.deleteDeveloper(id, now()).orElseThrow(() -> notFound(id));
          // Without its developer every key of it verifies as REVOKED at once; the key entries
          // are then brought in line with the store for readers of the index other than the
          // verifier.
          index.removeDeveloper(id);
          refreshKeys(id, revoked);
          audit.record(actor, "developer.deleted", id, "revoked_keys=" + revoked.size());
          return revoked;
        });
  }

  private void refreshKeys(String developerId, List<String> keyIds) {
    Set<String> pending = new HashSet<>(keyIds);
    String cursor = null;
    do {
      Page<ApiKeyRecord> page = store.keys(new KeyFilter(developerId, null), PAGE, cursor);
      for (ApiKeyRecord key : page.items()) {
        if (pending.remove(key.id())) {
          index.put(key);
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null && !pending.isEmpty());
    // a store that deletes keys with their developer leaves nothing to show: drop them
    pending.forEach(index::remove);
  }

  private static String changes(Developer old, Developer now) {
    List<String> changed = new ArrayList<>();
    if (!old.name().equals(now.name())) {
      changed.add("name");
    }
    if (!old.email().equals(now.email())) {
      changed.add("email");
    }
    if (old.status() != now.status()) {
      changed.add("status=" + now.status().wire());
    }
    return changed.isEmpty() ? "no change" : "changed " + String.join(", ", changed);
  }

  private Developer find(String id) {
    return store.developer(id).orElseThrow(() -> notFound(id));
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("developer", id);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Unordered: one slow operation (a bulk import) must not queue the others behind it. */
  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
