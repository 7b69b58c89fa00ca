package io.xecure.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Durable state: developers, keys (hashes only), audit events, usage roll-ups and runtime changes
 * to APIs and plans. Never called on the request path: the {@link io.xecure.keys.KeyIndex} answers
 * requests; the store is for changes and loading.
 *
 * <p>Every method may block (JDBC) and must be called off the event loop. Every method throws
 * {@link StoreUnavailableException} when the database cannot be reached or fails; {@link
 * IllegalArgumentException} for a unique-constraint conflict (a duplicate key hash or id).
 *
 * <p>A change that a node's memory depends on (a developer, a key, a runtime API or plan) takes the
 * admin event that records it, and writes the change, its change-feed row and that event in one
 * transaction: a crash or a failure leaves all three or none. The overloads without an event are
 * for changes no operator made (tests, tools); they write the change and its feed row only.
 */
public interface Store extends AutoCloseable {

  Developer insertDeveloper(Developer developer, @Nullable AdminEvent audit);

  default Developer insertDeveloper(Developer developer) {
    return insertDeveloper(developer, null);
  }

  Optional<Developer> developer(String id);

  /** Developers ordered by id; {@code cursor} is the last id of the previous page. */
  Page<Developer> developers(int limit, @Nullable String cursor);

  /**
   * Writes only the fields {@code edit} sets: a concurrent edit of other fields (a suspend racing a
   * rename) keeps what it wrote. Returns the developer as stored now; empty, with nothing written,
   * when there is no such developer.
   */
  Optional<Developer> editDeveloper(String id, DeveloperEdit edit, @Nullable AdminEvent audit);

  default Optional<Developer> editDeveloper(String id, DeveloperEdit edit) {
    return editDeveloper(id, edit, null);
  }

  /**
   * Deletes the developer and revokes all its keys in one transaction, with the admin event {@code
   * audit} makes of the ids revoked; returns those ids, empty (nothing written) when there was no
   * such developer.
   */
  Optional<List<String>> deleteDeveloper(
      String id, Instant now, @Nullable Function<List<String>, AdminEvent> audit);

  default Optional<List<String>> deleteDeveloper(String id, Instant now) {
    return deleteDeveloper(id, now, null);
  }

  /** Inserts one key; IllegalArgumentException if its hash or id already exists. */
  void insertKey(ApiKeyRecord key, @Nullable AdminEvent audit);

  default void insertKey(ApiKeyRecord key) {
    insertKey(key, null);
  }

  /**
   * Inserts many keys in batches, in one transaction per batch. Keys whose hash already exists are
   * skipped, not failed; returns, per input index, true when inserted.
   */
  boolean[] insertKeys(List<ApiKeyRecord> keys);

  Optional<ApiKeyRecord> key(String id);

  Optional<ApiKeyRecord> keyByHash(io.xecure.keys.KeyHash hash);

  /** Keys ordered by id; {@code cursor} is the last id of the previous page. */
  Page<ApiKeyRecord> keys(KeyFilter filter, int limit, @Nullable String cursor);

  /**
   * Revokes the key, writing its status only: a concurrent change of its rights cannot undo it.
   * Returns the key as stored now; empty when there is no such key.
   */
  Optional<ApiKeyRecord> revokeKey(String id, @Nullable AdminEvent audit);

  default Optional<ApiKeyRecord> revokeKey(String id) {
    return revokeKey(id, null);
  }

  /**
   * Writes only the fields {@code edit} sets (never the status, never the last use); returns the
   * key as stored now, empty when there is no such key.
   */
  Optional<ApiKeyRecord> editKey(String id, KeyEdit edit, @Nullable AdminEvent audit);

  default Optional<ApiKeyRecord> editKey(String id, KeyEdit edit) {
    return editKey(id, edit, null);
  }

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

  default Optional<ApiKeyRecord> rotateKey(
      String id, ApiKeyRecord successor, Instant graceUntil, boolean revokeNow) {
    return rotateKey(id, successor, graceUntil, revokeNow, null);
  }

  /** Appends an admin event that records no change of the feed (an operator signing in, say). */
  void appendAdminEvent(AdminEvent event);

  /** Appends request events in one transaction. */
  void appendRequestEvents(List<io.xecure.events.RequestEvent> events);

  /**
   * Appends a batch of request events once: in one transaction with its {@code batchId}, unless a
   * batch of that id was stored before, which answers false and writes nothing. A batch delivered
   * again (after a crash between storing it and deleting its spool file, or a commit whose answer
   * was lost) is so stored once.
   *
   * @param batchId at most 64 characters, unique per batch (e.g. time, node and sequence)
   * @return whether the events were stored now
   */
  boolean appendRequestEvents(String batchId, List<io.xecure.events.RequestEvent> events);

  /**
   * Request events within the filter's time range and request fields, newest first, starting
   * strictly after {@code after} (null: from the newest); at most {@code limit}.
   */
  List<StoredEvent<io.xecure.events.RequestEvent>> requestEvents(
      EventFilter filter, @Nullable EventPosition after, int limit);

  /** Admin events within the filter's time range and admin fields; like {@link #requestEvents}. */
  List<StoredEvent<AdminEvent>> adminEvents(
      EventFilter filter, @Nullable EventPosition after, int limit);

  /** Request events, newest first. */
  default List<io.xecure.events.RequestEvent> requestEvents(int limit) {
    return requestEvents(EventFilter.ALL, null, limit).stream().map(StoredEvent::event).toList();
  }

  /** Admin events, newest first. */
  default List<AdminEvent> adminEvents(int limit) {
    return adminEvents(EventFilter.ALL, null, limit).stream().map(StoredEvent::event).toList();
  }

  /** Runtime changes to APIs and plans, oldest first (the order they are applied in). */
  List<ConfigChange> configChanges();

  /** Records a runtime change, replacing any earlier one of the same kind and name. */
  void putConfigChange(ConfigChange change, @Nullable AdminEvent audit);

  default void putConfigChange(ConfigChange change) {
    putConfigChange(change, null);
  }

  /** Forgets the runtime change of that kind and name, if any: the file's definition applies. */
  void deleteConfigChange(ConfigChange.Kind kind, String name, @Nullable AdminEvent audit);

  default void deleteConfigChange(ConfigChange.Kind kind, String name) {
    deleteConfigChange(kind, name, null);
  }

  /**
   * Adds each row's counts to the stored row of the same minute, dimension, id and API, creating it
   * when there is none, all in one transaction: two calls with the same row add up, and so do
   * several nodes writing the same minute. Maxima (latency) are kept, not added.
   */
  void addUsage(List<io.xecure.usage.UsageRow> rows);

  /**
   * Records each key's latest use (time and client IP), in one transaction; a stored use that is
   * later (another node's) is kept. Unknown key ids are ignored.
   */
  void recordKeyUses(List<io.xecure.usage.KeyUse> uses);

  /** Usage series answering the query, rolled up from the minute rows. */
  io.xecure.usage.UsageSeries.Result usage(io.xecure.usage.UsageQuery query);

  /**
   * Deletes request events that occurred before {@code cutoff}, the oldest first, about {@code
   * limit} of them (more only when more than {@code limit} share the oldest time); returns how
   * many. A retention job calls it until it returns 0, so no statement holds locks for long.
   */
  int deleteRequestEventsBefore(Instant cutoff, int limit);

  /** Like {@link #deleteRequestEventsBefore}, for usage rows of minutes before {@code cutoff}. */
  int deleteUsageBefore(Instant cutoff, int limit);

  @Override
  void close();
}
