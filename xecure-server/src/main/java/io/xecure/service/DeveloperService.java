package io.xecure.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.cluster.ChangeApplier;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.store.Page;
import io.xecure.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Creates, reads, changes and deletes developers. Each operation runs its store calls on a worker;
 * each write records its change in the feed in the same transaction, and the node's {@link
 * ChangeApplier} applies it to the key index before the future completes, so the next request sees
 * the change. Futures fail with {@link ServiceException} (unknown id) or {@link
 * io.xecure.store.StoreUnavailableException}.
 */
public final class DeveloperService {
  private final Vertx vertx;
  private final Store store;
  private final ChangeApplier changes;
  private final Clock clock;
  private final Audit audit;

  public DeveloperService(Vertx vertx, Store store, ChangeApplier changes, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.changes = changes;
    this.clock = clock;
    this.audit = new Audit(store, clock);
  }

  public Future<Developer> create(String actor, String name, String email) {
    return blocking(
        () -> {
          Developer developer =
              store.insertDeveloper(
                  new Developer(Ids.developer(clock), name, email, DeveloperStatus.ACTIVE, now()));
          changes.applyCommitted();
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
          changes.applyCommitted();
          audit.record(actor, "developer.updated", id, changes(old, saved));
          return saved;
        });
  }

  /** Deletes the developer and revokes its keys; answers the ids of the keys revoked. */
  public Future<List<String>> delete(String actor, String id) {
    return blocking(
        () -> {
          List<String> revoked = store.deleteDeveloper(id, now()).orElseThrow(() -> notFound(id));
          changes.applyCommitted();
          audit.record(actor, "developer.deleted", id, "revoked_keys=" + revoked.size());
          return revoked;
        });
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
