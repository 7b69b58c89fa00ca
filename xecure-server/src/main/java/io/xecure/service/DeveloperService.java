package io.xecure.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.cluster.ChangeApplier;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.store.DeveloperEdit;
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
 * each write records its change in the feed and its admin event in the same transaction, field by
 * field (a suspend racing a rename keeps both), and the node's {@link ChangeApplier} applies it to
 * the key index before the future completes, so the next request sees the change. Futures fail with
 * {@link ServiceException} (unknown id) or {@link io.xecure.store.StoreUnavailableException}.
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
          String id = Ids.developer(clock);
          Developer developer =
              store.insertDeveloper(
                  new Developer(id, name, email, DeveloperStatus.ACTIVE, now()),
                  audit.event(actor, "developer.created", id, "status=active"));
          changes.applyCommitted();
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

  /** Writes only the fields the patch sets: a concurrent suspend or patch keeps what it wrote. */
  public Future<Developer> update(String actor, String id, DeveloperPatch patch) {
    return blocking(
        () -> {
          Developer saved =
              store
                  .editDeveloper(
                      id,
                      new DeveloperEdit(patch.name(), patch.email(), patch.status()),
                      audit.event(actor, "developer.updated", id, changes(patch)))
                  .orElseThrow(() -> notFound(id));
          changes.applyCommitted();
          return saved;
        });
  }

  /** Deletes the developer and revokes its keys; answers the ids of the keys revoked. */
  public Future<List<String>> delete(String actor, String id) {
    return blocking(
        () -> {
          List<String> revoked =
              store
                  .deleteDeveloper(
                      id,
                      now(),
                      keys ->
                          audit.event(
                              actor, "developer.deleted", id, "revoked_keys=" + keys.size()))
                  .orElseThrow(() -> notFound(id));
          changes.applyCommitted();
          return revoked;
        });
  }

  /** The fields this patch writes (what it sets, whether or not the value was different). */
  private static String changes(DeveloperPatch patch) {
    List<String> changed = new ArrayList<>();
    if (patch.name() != null) {
      changed.add("name");
    }
    if (patch.email() != null) {
      changed.add("email");
    }
    if (patch.status() != null) {
      changed.add("status=" + patch.status().wire());
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
