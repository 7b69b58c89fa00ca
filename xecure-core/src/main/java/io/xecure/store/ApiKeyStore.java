package io.xecure.store;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.KeyHash;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keys as stored (hashes only): issue, import, read, page, and the field-level writes that keep
 * concurrent changes from undoing each other (a revoke racing an edit ends revoked).
 *
 * <p>Every method may block (JDBC) and must be called off the event loop, and throws {@link
 * StoreUnavailableException} when the database cannot be reached or fails. {@link
 * IllegalArgumentException} for a duplicate key hash or id.
 *
 * <p>A change that a node's memory depends on takes the admin event that records it, and writes the
 * change, its change-feed row and that event in one transaction: a crash or a failure leaves all
 * three or none. A change no operator made (tests, tools) passes a null event and writes the change
 * and its feed row only.
 */
public interface ApiKeyStore {

  /** Inserts one key; IllegalArgumentException if its hash or id already exists. */
  void insertKey(ApiKeyRecord key, @Nullable AdminEvent audit);

  /**
   * Inserts the key unless its developer already holds {@code maxActive} keys active at {@code now}
   * (status active, past neither their expiry nor their rotation grace). The count and the insert
   * are one transaction that first locks the developer's row, so concurrent calls for one developer
   * are decided one after another and never together take it past {@code maxActive} (a plain {@link
   * #insertKey} is not counted against it: operators are not held to it).
   *
   * @return the active keys the developer held when the call was decided; the key was inserted
   *     exactly when that is below {@code maxActive}
   */
  int insertKeyWithin(ApiKeyRecord key, int maxActive, Instant now, @Nullable AdminEvent audit);

  /**
   * Inserts many keys in batches, in one transaction per batch. Keys whose hash already exists are
   * skipped, not failed; returns, per input index, true when inserted.
   */
  boolean[] insertKeys(List<ApiKeyRecord> keys);

  Optional<ApiKeyRecord> key(String id);

  Optional<ApiKeyRecord> keyByHash(KeyHash hash);

  /** Keys ordered by id; {@code cursor} is the last id of the previous page. */
  Page<ApiKeyRecord> keys(KeyFilter filter, int limit, @Nullable String cursor);

  /**
   * Revokes the key, writing its status only: a concurrent change of its rights cannot undo it.
   * Returns the key as stored now; empty when there is no such key.
   */
  Optional<ApiKeyRecord> revokeKey(String id, @Nullable AdminEvent audit);

  /**
   * Writes only the fields {@code edit} sets (never the status, never the last use); returns the
   * key as stored now, empty when there is no such key.
   */
  Optional<ApiKeyRecord> editKey(String id, KeyEdit edit, @Nullable AdminEvent audit);

  /**
   * A rotation, in one transaction: inserts {@code successor} and retires the key {@code id} (its
   * grace set to {@code graceUntil}, and revoked as well when {@code revokeNow}), provided that key
   * is still active and was never rotated. Returns the retired key; empty, with nothing written,
   * when the key is missing, no longer active or already rotated (a concurrent revoke or rotate).
   */
  Optional<ApiKeyRecord> rotateKey(
      String id,
      ApiKeyRecord successor,
      Instant graceUntil,
      boolean revokeNow,
      @Nullable AdminEvent audit);
}
