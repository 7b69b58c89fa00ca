package io.xecure.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.xecure.cluster.ChangeApplier;
import io.xecure.keys.KeyFormat;
import io.xecure.keys.KeyHasher;
import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.problem.ProblemCode;
import io.xecure.store.AdminEvent;
import io.xecure.store.Page;
import io.xecure.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Issues, imports, changes, revokes and rotates keys. Each operation runs its store calls on a
 * worker; each write is one transaction that also records the change in the feed, and the node's
 * {@link ChangeApplier} applies it to the {@link KeyIndex} before the future completes, so the very
 * next request sees the change. Changes are field by field or conditional on the row as stored
 * (never a whole record read earlier and written back), so concurrent admins never undo each other:
 * a revoke racing a patch ends revoked. Each change's admin event is written in the change's own
 * transaction, so a change is never stored without its event, nor an event without its change (a
 * bulk import's summary is the exception: it spans many transactions). Plaintexts leave this class
 * only in an {@link IssuedKey}. Futures fail with {@link ServiceException} (unknown id, conflict)
 * or {@link io.xecure.store.StoreUnavailableException}.
 */
public final class KeyService {
  private static final long BULK_MAX_MINUTES = 30;

  private final Vertx vertx;
  private final Store store;
  private final KeyIndex index;
  private final KeyFormat format;
  private final KeyHasher hasher;
  private final Clock clock;
  private final Audit audit;
  private final KeyLister lister;
  private final WorkerExecutor bulkWorker;
  private final Consumer<ApiKeyRecord> onLeaked;
  private final ChangeApplier changes;

  public KeyService(
      Vertx vertx,
      Store store,
      KeyIndex index,
      ChangeApplier changes,
      KeyFormat format,
      KeyHasher hasher,
      Clock clock) {
    this(vertx, store, index, changes, format, hasher, clock, key -> {});
  }

  /**
   * @param onLeaked told of each key reported leaked, once it is revoked (alerts: {@code
   *     key_leaked}); called on a worker, must return at once
   */
  public KeyService(
      Vertx vertx,
      Store store,
      KeyIndex index,
      ChangeApplier changes,
      KeyFormat format,
      KeyHasher hasher,
      Clock clock,
      Consumer<ApiKeyRecord> onLeaked) {
    this.onLeaked = onLeaked;
    this.changes = changes;
    this.vertx = vertx;
    this.store = store;
    this.index = index;
    this.format = format;
    this.hasher = hasher;
    this.clock = clock;
    this.audit = new Audit(store, clock);
    this.lister = new KeyLister(store, clock);
    // one import at a time, allowed to run for minutes without blocked-thread warnings
    this.bulkWorker =
        vertx.createSharedWorkerExecutor(
            "xecure-bulk-import", 1, BULK_MAX_MINUTES, TimeUnit.MINUTES);
  }

  public Clock clock() {
    return clock;
  }

  public KeyFormat format() {
    return format;
  }

  /**
   * Why {@code key} cannot be imported, or null when it can: 20 to 256 visible ASCII characters,
   * and a key that looks like one of ours must carry a valid checksum (the verifier would reject it
   * without a look-up otherwise).
   */
  public static @Nullable String importProblem(KeyFormat format, String key) {
    if (key.length() < KeyFormat.MIN_IMPORTED_LENGTH) {
      return "too short";
    }
    if (key.length() > KeyFormat.MAX_KEY_LENGTH) {
      return "too long";
    }
    if (!KeyFormat.importable(key)) {
      return "invalid characters";
    }
    if (format.looksGenerated(key) && !format.checksumValid(key)) {
      return "invalid checksum";
    }
    return null;
  }

  /** The status a caller sees: {@code expired} once the expiry or the rotation grace has passed. */
  public static KeyStatus effectiveStatus(ApiKeyRecord key, Instant now) {
    if (key.status() != KeyStatus.ACTIVE) {
      return key.status();
    }
    boolean expired =
        (key.expiresAt() != null && !now.isBefore(key.expiresAt()))
            || (key.graceUntil() != null && !now.isBefore(key.graceUntil()));
    return expired ? KeyStatus.EXPIRED : KeyStatus.ACTIVE;
  }

  public Future<IssuedKey> issue(String actor, String developerId, KeySpec spec) {
    return blocking(
        () -> {
          requireDeveloper(developerId);
          String plaintext = format.generate();
          ApiKeyRecord key = newKey(developerId, spec, plaintext, null, null);
          store.insertKey(
              key, audit.event(actor, "key.created", key.id(), "developer=" + developerId));
          changes.applyCommitted();
          return new IssuedKey(key, plaintext, null);
        });
  }

  /**
   * Issues a key unless the developer already holds {@code maxActive} active keys: the count and
   * the insert are one store transaction, so concurrent calls for one developer never take it past
   * {@code maxActive}. Fails with a conflict (409) saying how many it holds otherwise.
   */
  public Future<IssuedKey> issueWithin(
      String actor, String developerId, KeySpec spec, int maxActive) {
    return blocking(
        () -> {
          requireDeveloper(developerId);
          String plaintext = format.generate();
          ApiKeyRecord key = newKey(developerId, spec, plaintext, null, null);
          int active =
              store.insertKeyWithin(
                  key,
                  maxActive,
                  key.createdAt(),
                  audit.event(actor, "key.created", key.id(), "developer=" + developerId));
          if (active >= maxActive) {
            throw ServiceException.conflict(
                "you hold "
                    + active
                    + " active keys of the "
                    + maxActive
                    + " allowed; revoke one first");
          }
          changes.applyCommitted();
          return new IssuedKey(key, plaintext, null);
        });
  }

  /** Imports one existing plaintext (moving from another gateway); 409 if it is already stored. */
  public Future<IssuedKey> importKey(
      String actor, String developerId, KeySpec spec, String plaintext) {
    return blocking(
        () -> {
          String problem = importProblem(format, plaintext);
          if (problem != null) {
            throw new ServiceException(ProblemCode.VALIDATION_FAILED, "key: " + problem);
          }
          requireDeveloper(developerId);
          ApiKeyRecord key = newKey(developerId, spec, plaintext, null, null);
          if (index.get(key.hash()) != null) {
            throw duplicate();
          }
          try {
            store.insertKey(
                key, audit.event(actor, "key.imported", key.id(), "developer=" + developerId));
          } catch (IllegalArgumentException e) {
            throw duplicate();
          }
          changes.applyCommitted();
          return new IssuedKey(key, plaintext, null);
        });
  }

  /**
   * Imports many plaintexts for one developer, all with the same rights. Blank entries are skipped;
   * each other entry is imported or reported by its 1-based position. Imports run one at a time; a
   * second waits for the first.
   */
  public Future<ImportResult> importKeys(
      String actor, String developerId, KeySpec rights, List<String> plaintexts) {
    return bulkWorker.executeBlocking(
        () -> {
          requireDeveloper(developerId);
          ImportResult result =
              new BulkImport(store, index, changes::applyCommitted, format, hasher, clock)
                  .run(developerId, rights, plaintexts);
          audit.record(
              actor,
              "key.imported",
              developerId,
              "bulk imported=" + result.imported() + " failed=" + result.failed());
          return result;
        },
        false);
  }

  public Future<ApiKeyRecord> get(String id) {
    return blocking(() -> find(id));
  }

  /**
   * Keys ordered by id (so by creation); {@code status} filters on the status callers see, so
   * {@code active} leaves out keys past their expiry. A page may hold fewer than {@code limit}
   * items while {@code nextCursor} is set; the walk is over when it is null.
   */
  public Future<Page<ApiKeyRecord>> list(
      @Nullable String developerId,
      @Nullable KeyStatus status,
      int limit,
      @Nullable String cursor) {
    return blocking(() -> lister.list(developerId, status, limit, cursor));
  }

  /** Writes only the fields the patch sets: a concurrent revoke or patch keeps what it wrote. */
  public Future<ApiKeyRecord> patch(String actor, String id, KeyPatch patch) {
    return blocking(
        () -> {
          ApiKeyRecord changed =
              store
                  .editKey(
                      id,
                      patch.edit(),
                      audit.event(
                          actor,
                          "key.updated",
                          id,
                          "changed " + String.join(", ", patch.fieldNames())))
                  .orElseThrow(() -> ServiceException.notFound("key", id));
          changes.applyCommitted();
          return changed;
        });
  }

  /** Revokes the key now; revoking a revoked key changes nothing and succeeds. */
  public Future<ApiKeyRecord> revoke(String actor, String id) {
    return blocking(
        () -> {
          ApiKeyRecord old = find(id);
          if (old.status() == KeyStatus.REVOKED) {
            return old;
          }
          return revokeNow(
              id, audit.event(actor, "key.revoked", id, "developer=" + old.developerId()));
        });
  }

  /**
   * Issues a successor with the same developer, rights and identity (so limits and quotas carry
   * on), and lets the old key work until {@code grace} has passed; a zero grace revokes it now. A
   * key can be rotated once, while it is active: rotating again would fork the identity. Both
   * writes are one transaction, conditional on the old key being active and not yet rotated when it
   * commits, so a rotation racing a revoke or another rotation does one thing only.
   */
  public Future<IssuedKey> rotate(String actor, String id, Duration grace) {
    return blocking(
        () -> {
          ApiKeyRecord old = find(id);
          Instant now = now();
          requireRotatable(old, now);
          String plaintext = format.generate();
          ApiKeyRecord fresh =
              newKey(old.developerId(), KeySpec.of(old), plaintext, old.id(), old.identityId());
          ApiKeyRecord retired =
              store
                  .rotateKey(
                      id,
                      fresh,
                      grace.isZero() ? now : now.plus(grace),
                      grace.isZero(),
                      audit.event(
                          actor,
                          "key.rotated",
                          id,
                          "new_key=" + fresh.id() + " grace=" + grace.toSeconds() + "s"))
                  .orElseThrow(
                      () -> {
                        // changed since it was read: say what it is now
                        requireRotatable(find(id), now);
                        return ServiceException.conflict("key " + id + " changed meanwhile");
                      });
          changes.applyCommitted();
          return new IssuedKey(fresh, plaintext, retired);
        });
  }

  /**
   * A scanner found {@code plaintext} in the open: revoke the key it belongs to and record {@code
   * key.leaked}. Fails with NOT_FOUND, without repeating the value, when no key matches.
   */
  public Future<ApiKeyRecord> reportLeaked(String actor, String plaintext) {
    return blocking(
        () -> {
          ApiKeyRecord key = findByPlaintext(plaintext);
          String detail = "reported leaked; revoked";
          ApiKeyRecord revoked;
          if (key.status() == KeyStatus.REVOKED) {
            revoked = key;
            audit.record(actor, "key.leaked", key.id(), detail); // no change: the event alone
          } else {
            revoked = revokeNow(key.id(), audit.event(actor, "key.leaked", key.id(), detail));
          }
          onLeaked.accept(revoked);
          return revoked;
        });
  }

  private ApiKeyRecord revokeNow(String id, AdminEvent event) {
    ApiKeyRecord revoked =
        store.revokeKey(id, event).orElseThrow(() -> ServiceException.notFound("key", id));
    changes.applyCommitted();
    return revoked;
  }

  private ApiKeyRecord findByPlaintext(String plaintext) {
    ServiceException unknown =
        new ServiceException(ProblemCode.NOT_FOUND, "no key matches the reported value");
    if (!format.plausible(plaintext)) {
      throw unknown; // cannot be one of ours: no hash, no look-up
    }
    KeyHash hash = hasher.hash(plaintext);
    return store.keyByHash(hash).orElseThrow(() -> unknown);
  }

  private void requireRotatable(ApiKeyRecord key, Instant now) {
    KeyStatus status = effectiveStatus(key, now);
    if (status != KeyStatus.ACTIVE) {
      throw ServiceException.conflict("key " + key.id() + " is " + status.wire());
    }
    if (key.graceUntil() != null) {
      throw ServiceException.conflict("key " + key.id() + " was already rotated");
    }
  }

  private ApiKeyRecord newKey(
      String developerId,
      KeySpec spec,
      String plaintext,
      @Nullable String replaces,
      @Nullable String identityId) {
    String id = Ids.key(clock);
    return new ApiKeyRecord(
        id,
        developerId,
        spec.name(),
        format.displayPrefix(plaintext),
        hasher.hash(plaintext),
        KeyStatus.ACTIVE,
        now(),
        spec.expiresAt(),
        spec.apis(),
        spec.scopes(),
        spec.allowedCidrs(),
        spec.plan(),
        null,
        null,
        replaces,
        identityId == null ? id : identityId,
        null);
  }

  private void requireDeveloper(String developerId) {
    if (store.developer(developerId).isEmpty()) {
      throw ServiceException.notFound("developer", developerId);
    }
  }

  private ApiKeyRecord find(String id) {
    return store.key(id).orElseThrow(() -> ServiceException.notFound("key", id));
  }

  private static ServiceException duplicate() {
    return ServiceException.conflict("a key with this value already exists");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Unordered: one slow operation (a bulk import) must not queue the others behind it. */
  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
