package io.xecure.keys;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.KeyHash;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Every key and developer in memory, so that the request path never touches the store: hits and
 * misses alike are answered here. Filled by a full load at start-up, then kept current entry by
 * entry by the change feed's one applier ({@code io.xecure.cluster.ChangeApplier}), for this node's
 * admin writes and every other node's alike.
 *
 * <p>Until {@link #markReady()} the index is incomplete and must not judge a request; callers
 * answer 503 store_unavailable instead.
 */
public final class KeyIndex {
  private final ConcurrentHashMap<KeyHash, IndexedKey> byHash;
  private final ConcurrentHashMap<String, KeyHash> hashById;
  private final ConcurrentHashMap<String, Developer> developers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Object, Object> shared = new ConcurrentHashMap<>();
  private volatile boolean ready;

  /** Bounds the sharing table: beyond this many distinct values, entries keep their own. */
  private static final int MAX_SHARED = 50_000;

  private final IndexedKey.Interner interner =
      new IndexedKey.Interner() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T share(T value) {
          Object known = shared.get(value);
          if (known != null) {
            return (T) known;
          }
          if (shared.size() >= MAX_SHARED) {
            return value;
          }
          Object raced = shared.putIfAbsent(value, value);
          return raced == null ? value : (T) raced;
        }
      };

  public KeyIndex() {
    this(1024);
  }

  public KeyIndex(int expectedKeys) {
    this.byHash = new ConcurrentHashMap<>(expectedKeys);
    this.hashById = new ConcurrentHashMap<>(expectedKeys);
  }

  public @Nullable IndexedKey get(KeyHash hash) {
    return byHash.get(hash);
  }

  /**
   * The identity a key's limits and usage are counted under: after a rotation its predecessor's,
   * else its own id (also for a key not in the index).
   */
  public String identityOf(String keyId) {
    KeyHash hash = hashById.get(keyId);
    IndexedKey key = hash == null ? null : byHash.get(hash);
    return key == null ? keyId : key.identityId();
  }

  public @Nullable Developer developer(String id) {
    return developers.get(id);
  }

  /** Adds or replaces a key (matched by id: a changed record replaces the old entry). */
  public void put(ApiKeyRecord key) {
    IndexedKey entry = IndexedKey.of(key, interner);
    KeyHash previous = hashById.put(key.id(), key.hash());
    if (previous != null && !previous.equals(key.hash())) {
      byHash.remove(previous);
    }
    byHash.put(key.hash(), entry);
  }

  public void remove(String keyId) {
    KeyHash hash = hashById.remove(keyId);
    if (hash != null) {
      byHash.remove(hash);
    }
  }

  public void putDeveloper(Developer developer) {
    developers.put(developer.id(), developer);
  }

  public void removeDeveloper(String id) {
    developers.remove(id);
  }

  /**
   * Removes every key and developer whose id is not in these sets: after a snapshot is loaded again
   * over a live index, what the snapshot no longer holds is gone.
   */
  public void retainOnly(java.util.Set<String> keyIds, java.util.Set<String> developerIds) {
    for (String id : hashById.keySet()) {
      if (!keyIds.contains(id)) {
        remove(id);
      }
    }
    developers.keySet().retainAll(developerIds);
  }

  public int size() {
    return byHash.size();
  }

  public boolean ready() {
    return ready;
  }

  public void markReady() {
    ready = true;
  }
}
