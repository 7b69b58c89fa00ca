package io.xecure.store;

import io.xecure.events.RequestEvent;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.KeyHash;
import io.xecure.usage.KeyUse;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageRow;
import io.xecure.usage.UsageSeries;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} whose request events live in an engine of their own (a single node's DuckDB
 * file), everything else (developers, keys, admin events, usage, runtime config) in {@code rest}.
 * Closing it closes both, the events first.
 */
public final class SplitStore implements Store {
  private final Store rest;
  private final RequestEventStore events;
  private final AutoCloseable eventsCloser;

  public <E extends RequestEventStore & AutoCloseable> SplitStore(Store rest, E events) {
    this.rest = rest;
    this.events = events;
    this.eventsCloser = events;
  }

  // ---- request events: the engine of their own

  @Override
  public void appendRequestEvents(List<RequestEvent> list) {
    events.appendRequestEvents(list);
  }

  @Override
  public boolean appendRequestEvents(String batchId, List<RequestEvent> list) {
    return events.appendRequestEvents(batchId, list);
  }

  @Override
  public boolean appendRequestEventsGrouped(String batchId, List<RequestEvent> list) {
    return events.appendRequestEventsGrouped(batchId, list);
  }

  @Override
  public void appendFromFile(String fileId, long offset, List<RequestEvent> list) {
    events.appendFromFile(fileId, offset, list);
  }

  @Override
  public long storedUpTo(String fileId) {
    return events.storedUpTo(fileId);
  }

  @Override
  public int commitRequestEvents() {
    return events.commitRequestEvents();
  }

  @Override
  public int uncommittedRequestEvents() {
    return events.uncommittedRequestEvents();
  }

  @Override
  public Set<String> requestIds(String node, Instant from, Instant to) {
    return events.requestIds(node, from, to);
  }

  @Override
  public List<StoredEvent<RequestEvent>> requestEvents(
      EventFilter filter, @Nullable EventPosition after, int limit) {
    return events.requestEvents(filter, after, limit);
  }

  @Override
  public int deleteRequestEventsBefore(Instant cutoff, int limit) {
    return events.deleteRequestEventsBefore(cutoff, limit);
  }

  // ---- everything else: the store

  @Override
  public void appendAdminEvent(AdminEvent event) {
    rest.appendAdminEvent(event);
  }

  @Override
  public List<StoredEvent<AdminEvent>> adminEvents(
      EventFilter filter, @Nullable EventPosition after, int limit) {
    return rest.adminEvents(filter, after, limit);
  }

  @Override
  public Developer insertDeveloper(Developer developer, @Nullable AdminEvent audit) {
    return rest.insertDeveloper(developer, audit);
  }

  @Override
  public Optional<Developer> developer(String id) {
    return rest.developer(id);
  }

  @Override
  public Page<Developer> developers(int limit, @Nullable String cursor) {
    return rest.developers(limit, cursor);
  }

  @Override
  public Optional<Developer> editDeveloper(
      String id, DeveloperEdit edit, @Nullable AdminEvent audit) {
    return rest.editDeveloper(id, edit, audit);
  }

  @Override
  public Optional<List<String>> deleteDeveloper(
      String id, Instant now, @Nullable Function<List<String>, AdminEvent> audit) {
    return rest.deleteDeveloper(id, now, audit);
  }

  @Override
  public void insertKey(ApiKeyRecord key, @Nullable AdminEvent audit) {
    rest.insertKey(key, audit);
  }

  @Override
  public int insertKeyWithin(
      ApiKeyRecord key, int maxActive, Instant now, @Nullable AdminEvent audit) {
    return rest.insertKeyWithin(key, maxActive, now, audit);
  }

  @Override
  public boolean[] insertKeys(List<ApiKeyRecord> keys) {
    return rest.insertKeys(keys);
  }

  @Override
  public Optional<ApiKeyRecord> key(String id) {
    return rest.key(id);
  }

  @Override
  public Optional<ApiKeyRecord> keyByHash(KeyHash hash) {
    return rest.keyByHash(hash);
  }

  @Override
  public Page<ApiKeyRecord> keys(KeyFilter filter, int limit, @Nullable String cursor) {
    return rest.keys(filter, limit, cursor);
  }

  @Override
  public Optional<ApiKeyRecord> revokeKey(String id, @Nullable AdminEvent audit) {
    return rest.revokeKey(id, audit);
  }

  @Override
  public Optional<ApiKeyRecord> editKey(String id, KeyEdit edit, @Nullable AdminEvent audit) {
    return rest.editKey(id, edit, audit);
  }

  @Override
  public Optional<ApiKeyRecord> rotateKey(
      String id,
      ApiKeyRecord successor,
      Instant graceUntil,
      boolean revokeNow,
      @Nullable AdminEvent audit) {
    return rest.rotateKey(id, successor, graceUntil, revokeNow, audit);
  }

  @Override
  public void addUsage(List<UsageRow> rows) {
    rest.addUsage(rows);
  }

  @Override
  public void recordKeyUses(List<KeyUse> uses) {
    rest.recordKeyUses(uses);
  }

  @Override
  public UsageSeries.Result usage(UsageQuery query) {
    return rest.usage(query);
  }

  @Override
  public int deleteUsageBefore(UsageInterval grain, Instant cutoff, int limit) {
    return rest.deleteUsageBefore(grain, cutoff, limit);
  }

  @Override
  public List<ConfigChange> configChanges() {
    return rest.configChanges();
  }

  @Override
  public void putConfigChange(ConfigChange change, @Nullable AdminEvent audit) {
    rest.putConfigChange(change, audit);
  }

  @Override
  public void deleteConfigChange(ConfigChange.Kind kind, String name, @Nullable AdminEvent audit) {
    rest.deleteConfigChange(kind, name, audit);
  }

  @Override
  public void close() {
    try {
      eventsCloser.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreUnavailableException("request events: close failed", e);
    } finally {
      rest.close();
    }
  }
}
