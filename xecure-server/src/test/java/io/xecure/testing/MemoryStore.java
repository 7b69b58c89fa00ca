package io.xecure.testing;

import io.xecure.events.RequestEvent;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.service.KeyService;
import io.xecure.store.AdminEvent;
import io.xecure.store.ChangeLog;
import io.xecure.store.ConfigChange;
import io.xecure.store.DeveloperEdit;
import io.xecure.store.EventFilter;
import io.xecure.store.EventPosition;
import io.xecure.store.KeyEdit;
import io.xecure.store.KeyFilter;
import io.xecure.store.Page;
import io.xecure.store.Store;
import io.xecure.store.StoreUnavailableException;
import io.xecure.store.StoredEvent;
import io.xecure.usage.KeyUse;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageRow;
import io.xecure.usage.UsageSeries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} in memory with the contract of the JDBC store, change feed included, for tests
 * that need to make the store fail ({@link #failing}) or run without a database.
 */
public final class MemoryStore implements Store, ChangeLog {
  private final TreeMap<String, Developer> developers = new TreeMap<>();
  private final TreeMap<String, ApiKeyRecord> keys = new TreeMap<>();
  private final Map<KeyHash, String> idByHash = new java.util.HashMap<>();
  private final List<AdminEvent> adminEvents = new ArrayList<>();
  private final List<RequestEvent> requestEvents = new ArrayList<>();
  private final java.util.Set<String> batchIds = new java.util.HashSet<>();
  private final Map<String, FilePosition> filePositions = new java.util.HashMap<>();
  private final Map<String, ConfigChange> configChanges = new java.util.LinkedHashMap<>();
  private final Map<UsageRow.Key, UsageRow> usage = new java.util.HashMap<>();
  private final List<Change> changes = new ArrayList<>();
  private volatile boolean failing;

  private void audit(@Nullable AdminEvent event) {
    if (event != null) {
      adminEvents.add(event);
    }
  }

  private void changed(Subject subject, String id) {
    changes.add(new Change(changes.size() + 1L, subject, id));
  }

  public void failing(boolean failing) {
    this.failing = failing;
  }

  private void check() {
    if (failing) {
      throw new StoreUnavailableException("test: store down", new java.io.IOException("down"));
    }
  }

  @Override
  public synchronized Developer insertDeveloper(Developer developer, @Nullable AdminEvent audit) {
    check();
    if (developers.putIfAbsent(developer.id(), developer) != null) {
      throw new IllegalArgumentException("duplicate developer id");
    }
    audit(audit);
    changed(Subject.DEVELOPER, developer.id());
    return developer;
  }

  @Override
  public synchronized Optional<Developer> developer(String id) {
    check();
    return Optional.ofNullable(developers.get(id));
  }

  @Override
  public synchronized Page<Developer> developers(int limit, @Nullable String cursor) {
    check();
    return page(developers, limit, cursor, d -> true);
  }

  @Override
  public synchronized Optional<Developer> editDeveloper(
      String id, DeveloperEdit edit, @Nullable AdminEvent audit) {
    check();
    Developer old = developers.get(id);
    if (old == null) {
      return Optional.empty();
    }
    Developer changed = edit.applyTo(old);
    developers.put(id, changed);
    audit(audit);
    changed(Subject.DEVELOPER, id);
    return Optional.of(changed);
  }

  @Override
  public synchronized Optional<List<String>> deleteDeveloper(
      String id, Instant now, @Nullable Function<List<String>, AdminEvent> audit) {
    check();
    if (developers.remove(id) == null) {
      return Optional.empty();
    }
    List<String> revoked = new ArrayList<>();
    for (ApiKeyRecord k : List.copyOf(keys.values())) {
      if (k.developerId().equals(id) && k.status() != KeyStatus.REVOKED) {
        keys.put(k.id(), k.withStatus(KeyStatus.REVOKED));
        revoked.add(k.id());
        changed(Subject.KEY, k.id());
      }
    }
    audit(audit == null ? null : audit.apply(revoked));
    changed(Subject.DEVELOPER, id);
    return Optional.of(revoked);
  }

  @Override
  public synchronized void insertKey(ApiKeyRecord key, @Nullable AdminEvent audit) {
    check();
    if (keys.containsKey(key.id()) || idByHash.containsKey(key.hash())) {
      throw new IllegalArgumentException("duplicate key");
    }
    audit(audit);
    keys.put(key.id(), key);
    idByHash.put(key.hash(), key.id());
    changed(Subject.KEY, key.id());
  }

  @Override
  public synchronized int insertKeyWithin(
      ApiKeyRecord key, int maxActive, Instant now, @Nullable AdminEvent audit) {
    check();
    int active =
        (int)
            keys.values().stream()
                .filter(k -> k.developerId().equals(key.developerId()))
                .filter(k -> KeyService.effectiveStatus(k, now) == KeyStatus.ACTIVE)
                .count();
    if (active < maxActive) {
      insertKey(key, audit);
    }
    return active;
  }

  @Override
  public synchronized boolean[] insertKeys(List<ApiKeyRecord> batch) {
    check();
    boolean[] inserted = new boolean[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      ApiKeyRecord key = batch.get(i);
      if (!idByHash.containsKey(key.hash())) {
        keys.put(key.id(), key);
        idByHash.put(key.hash(), key.id());
        changed(Subject.KEY, key.id());
        inserted[i] = true;
      }
    }
    return inserted;
  }

  @Override
  public synchronized Optional<ApiKeyRecord> key(String id) {
    check();
    return Optional.ofNullable(keys.get(id));
  }

  @Override
  public synchronized Optional<ApiKeyRecord> keyByHash(KeyHash hash) {
    check();
    String id = idByHash.get(hash);
    return id == null ? Optional.empty() : Optional.ofNullable(keys.get(id));
  }

  @Override
  public synchronized Page<ApiKeyRecord> keys(
      KeyFilter filter, int limit, @Nullable String cursor) {
    check();
    return page(
        keys,
        limit,
        cursor,
        k ->
            (filter.developerId() == null || k.developerId().equals(filter.developerId()))
                && (filter.status() == null || k.status() == filter.status()));
  }

  @Override
  public synchronized Optional<ApiKeyRecord> revokeKey(String id, @Nullable AdminEvent audit) {
    check();
    ApiKeyRecord old = keys.get(id);
    if (old == null) {
      return Optional.empty();
    }
    audit(audit);
    keys.put(id, old.withStatus(KeyStatus.REVOKED));
    changed(Subject.KEY, id);
    return Optional.of(keys.get(id));
  }

  @Override
  public synchronized Optional<ApiKeyRecord> editKey(
      String id, KeyEdit edit, @Nullable AdminEvent audit) {
    check();
    ApiKeyRecord old = keys.get(id);
    if (old == null) {
      return Optional.empty();
    }
    audit(audit);
    keys.put(id, edit.applyTo(old));
    changed(Subject.KEY, id);
    return Optional.of(keys.get(id));
  }

  @Override
  public synchronized Optional<ApiKeyRecord> rotateKey(
      String id,
      ApiKeyRecord successor,
      Instant graceUntil,
      boolean revokeNow,
      @Nullable AdminEvent audit) {
    check();
    ApiKeyRecord old = keys.get(id);
    if (old == null || old.status() != KeyStatus.ACTIVE || old.graceUntil() != null) {
      return Optional.empty();
    }
    insertKey(successor, audit);
    ApiKeyRecord retired = old.withGraceUntil(graceUntil);
    keys.put(id, revokeNow ? retired.withStatus(KeyStatus.REVOKED) : retired);
    changed(Subject.KEY, id);
    return Optional.of(keys.get(id));
  }

  @Override
  public synchronized long loadSnapshot(Consumer<Developer> d, Consumer<ApiKeyRecord> k) {
    check();
    long at = changes.size(); // read first, as the JDBC store does: what streams is at least as new
    developers.values().forEach(d);
    List.copyOf(keys.values()).forEach(k);
    return at;
  }

  @Override
  public synchronized Batch changesAfter(long after, int limit) {
    check();
    List<Change> out =
        List.copyOf(changes.subList((int) after, (int) Math.min(changes.size(), after + limit)));
    Map<String, ApiKeyRecord> k = new java.util.HashMap<>();
    Map<String, Developer> d = new java.util.HashMap<>();
    for (Change c : out) {
      if (c.subject() == Subject.KEY && keys.containsKey(c.id())) {
        k.put(c.id(), keys.get(c.id()));
      } else if (c.subject() == Subject.DEVELOPER && developers.containsKey(c.id())) {
        d.put(c.id(), developers.get(c.id()));
      }
    }
    return new Batch(out, k, d);
  }

  /** Keeps every change: a test's feed is never long. */
  @Override
  public int deleteChangesBefore(Instant cutoff, long atMost, int limit) {
    return 0;
  }

  @Override
  public synchronized long latestSequence() {
    check();
    return changes.size();
  }

  @Override
  public Subscription subscribe(Listener listener) {
    return Subscription.NONE;
  }

  @Override
  public synchronized void appendAdminEvent(AdminEvent event) {
    check();
    adminEvents.add(event);
  }

  @Override
  public synchronized void appendRequestEvents(List<RequestEvent> events) {
    check();
    requestEvents.addAll(events);
  }

  @Override
  public synchronized boolean appendRequestEvents(String batchId, List<RequestEvent> events) {
    check();
    if (!batchIds.add(batchId)) {
      return false;
    }
    requestEvents.addAll(events);
    return true;
  }

  /** Not grouped, like the JDBC store: the events and the offset are stored at once. */
  @Override
  public synchronized void appendFromFile(String fileId, long offset, List<RequestEvent> events) {
    check();
    requestEvents.addAll(events);
    filePositions.put(fileId, new FilePosition(offset, Instant.now()));
  }

  @Override
  public synchronized long storedUpTo(String fileId) {
    check();
    FilePosition position = filePositions.get(fileId);
    return position == null ? -1 : position.offset();
  }

  private record FilePosition(long offset, Instant storedAt) {}

  @Override
  public synchronized List<StoredEvent<RequestEvent>> requestEvents(
      EventFilter filter, @Nullable EventPosition after, int limit) {
    check();
    return newest(
        requestEvents,
        RequestEvent::time,
        e ->
            matches(filter.outcome(), e.outcome())
                && matches(filter.code(), e.code())
                && matches(filter.developerId(), e.developerId())
                && matches(filter.keyId(), e.keyId())
                && matches(filter.api(), e.api()),
        filter,
        after,
        limit);
  }

  @Override
  public synchronized Set<String> requestIds(String node, Instant from, Instant to) {
    check();
    Set<String> ids = new HashSet<>();
    for (RequestEvent e : requestEvents) {
      if (e.node().equals(node) && !e.time().isBefore(from) && !e.time().isAfter(to)) {
        ids.add(e.requestId());
      }
    }
    return ids;
  }

  @Override
  public synchronized List<StoredEvent<AdminEvent>> adminEvents(
      EventFilter filter, @Nullable EventPosition after, int limit) {
    check();
    return newest(
        adminEvents,
        AdminEvent::time,
        e ->
            matches(filter.actor(), e.actor())
                && matches(filter.action(), e.action())
                && matches(filter.target(), e.target()),
        filter,
        after,
        limit);
  }

  @Override
  public synchronized int deleteRequestEventsBefore(Instant cutoff, int max) {
    check();
    int deleted = 0;
    for (var it = requestEvents.iterator(); it.hasNext() && deleted < max; ) {
      RequestEvent e = it.next();
      if (e.time().isBefore(cutoff)) {
        it.remove();
        deleted++;
      }
    }
    if (deleted < max) {
      filePositions.values().removeIf(p -> p.storedAt().isBefore(cutoff));
    }
    return deleted;
  }

  private static boolean matches(@Nullable String wanted, @Nullable String value) {
    return wanted == null || wanted.equals(value);
  }

  /** The list index is the insertion sequence (events are never deleted in these tests' runs). */
  private static <T> List<StoredEvent<T>> newest(
      List<T> all,
      java.util.function.Function<T, Instant> time,
      Predicate<T> fields,
      EventFilter filter,
      @Nullable EventPosition after,
      int limit) {
    List<StoredEvent<T>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      T e = all.get(i);
      EventPosition position = new EventPosition(time.apply(e), i);
      if (fields.test(e)
          && filter.inTime(position.time())
          && (after == null || position.compareTo(after) > 0)) {
        out.add(new StoredEvent<>(e, position));
      }
    }
    out.sort((a, b) -> a.position().compareTo(b.position()));
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  @Override
  public synchronized void addUsage(List<UsageRow> rows) {
    check();
    for (UsageRow row : rows) {
      usage.merge(row.key(), row, (a, b) -> a.withCounts(a.counts().plus(b.counts())));
    }
  }

  /** Every usage row added, by its identity. */
  public synchronized Map<UsageRow.Key, UsageRow> usageRows() {
    return Map.copyOf(usage);
  }

  @Override
  public synchronized void recordKeyUses(List<KeyUse> uses) {
    check();
    for (KeyUse use : uses) {
      ApiKeyRecord k = keys.get(use.keyId());
      Instant last = k == null ? null : k.lastUsedAt();
      if (k != null && (last == null || last.isBefore(use.at()))) {
        keys.put(k.id(), k.withLastUse(use.at(), use.ip()));
      }
    }
  }

  /** Usage queries are SQL; their contract is tested on the JDBC stores. */
  @Override
  public UsageSeries.Result usage(UsageQuery query) {
    throw new UnsupportedOperationException("usage queries need a JDBC store");
  }

  @Override
  public synchronized int deleteUsageBefore(UsageInterval grain, Instant cutoff, int limit) {
    check();
    if (grain != UsageInterval.MINUTE) {
      return 0; // only minute rows are kept here
    }
    int before = usage.size();
    usage.keySet().removeIf(k -> k.minute().isBefore(cutoff));
    return before - usage.size();
  }

  @Override
  public void close() {}

  private static <T> Page<T> page(
      NavigableMap<String, T> map, int limit, @Nullable String cursor, Predicate<T> filter) {
    var tail = cursor == null ? map : map.tailMap(cursor, false);
    List<T> items = new ArrayList<>();
    String last = null;
    for (var e : tail.entrySet()) {
      if (filter.test(e.getValue())) {
        if (items.size() == limit) {
          return new Page<>(items, last);
        }
        items.add(e.getValue());
        last = e.getKey();
      }
    }
    return new Page<>(items, null);
  }

  @Override
  public synchronized List<ConfigChange> configChanges() {
    check();
    List<ConfigChange> out = new ArrayList<>(configChanges.values());
    out.sort(java.util.Comparator.comparing(ConfigChange::changedAt));
    return out;
  }

  @Override
  public synchronized void putConfigChange(ConfigChange change, @Nullable AdminEvent audit) {
    check();
    audit(audit);
    String key = change.kind() + "/" + change.name();
    configChanges.remove(key);
    configChanges.put(key, change);
    changed(change.kind() == ConfigChange.Kind.API ? Subject.API : Subject.PLAN, change.name());
  }

  @Override
  public synchronized void deleteConfigChange(
      ConfigChange.Kind kind, String name, @Nullable AdminEvent audit) {
    check();
    audit(audit);
    configChanges.remove(kind + "/" + name);
    changed(kind == ConfigChange.Kind.API ? Subject.API : Subject.PLAN, name);
  }
}
