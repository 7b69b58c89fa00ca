package io.xecure.keys;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
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
 *
 * <h2>Layout</h2>
 *
 * Ten million keys must fit in a gigabyte, so there is no object per key. A {@code Table} holds
 * <em>records</em> in flat columns indexed by record number: the digest as four longs, expiry
 * millis, status byte, references to the shared developer id and the shared {@link Rights} (one
 * instance per distinct value), a rarely set {@code Extra} (a rotation's identity and grace), and
 * the offset of the key's id in a byte arena (a length byte and the id's UTF-8). Two
 * open-addressing tables with linear probing map a digest and an id to a record number (stored plus
 * one; 0 is empty, -1 a tombstone left by a removal). Both have a third more slots than the table
 * has records, so they are never more than three quarters full and every probe ends.
 *
 * <h2>Concurrency</h2>
 *
 * One writer at a time (the write methods are synchronized; the applier is the only caller in the
 * gateway), any number of readers without locks:
 *
 * <ul>
 *   <li>A record is written once and never changed: a changed key gets a new record, and its slots
 *       are pointed at it. Records and id bytes are only appended; removal leaves a tombstone in
 *       the slot and the record in place.
 *   <li>The writer fills a record's columns and id bytes with plain stores, then publishes its
 *       number into a slot with a release store ({@link VarHandle#setRelease}). Readers load slots
 *       with acquire loads ({@link VarHandle#getAcquire}), so whatever a reader finds in a slot was
 *       completely written before it could see it (happens-before through release/acquire): a
 *       reader sees the old entry or the new one, never a mix.
 *   <li>A replaced digest is inserted before the old slot is tombstoned, so a reader never misses a
 *       key that exists before and after the change. Tombstones are probed past, never emptied.
 *   <li>When records run out (or tombstones and dead records pile up) the writer builds a new table
 *       from the live records and publishes it through the volatile {@link #table} field; a reader
 *       still probing the old one finds it unchanged, as the writer never writes a superseded table
 *       again. The id arena is grown by copy and published through a volatile field, after the
 *       bytes were copied.
 * </ul>
 *
 * <p>{@link #get} builds a small {@link IndexedKey} snapshot of the record it found, the only
 * allocation of a look-up.
 */
public final class KeyIndex {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(int[].class);
  private static final int EMPTY = 0;
  private static final int TOMBSTONE = -1;
  private static final long NEVER = Long.MAX_VALUE;
  private static final KeyStatus[] STATUSES = KeyStatus.values();
  private static final int MAX_ID_BYTES = 255;
  private static final int MIN_CAPACITY = 16;

  private volatile Table table;
  private final ConcurrentHashMap<String, Developer> developers = new ConcurrentHashMap<>();
  private volatile boolean ready;

  // the writer's own, under this object's lock: one instance per distinct value
  private Map<String, String> sharedDeveloperIds = new HashMap<>();
  private Map<Rights, Rights> sharedRights = new HashMap<>();
  // the last put's rights, reused while puts bring the very same list instances (a store's load
  // hands out one instance per distinct list), which skips building and hashing a Rights per key
  private @Nullable ApiKeyRecord lastRightsOf;
  private @Nullable Rights lastRights;

  public KeyIndex() {
    this(1024);
  }

  /** An index with room for {@code expectedKeys} before it first grows. */
  public KeyIndex(int expectedKeys) {
    int capacity = Math.max(MIN_CAPACITY, expectedKeys);
    this.table = new Table(capacity, capacity * 16);
  }

  public @Nullable IndexedKey get(KeyHash hash) {
    Table t = table;
    int record = t.find(hash.word0(), hash.word1(), hash.word2(), hash.word3());
    return record < 0 ? null : t.view(record);
  }

  /**
   * The identity a key's limits and usage are counted under: after a rotation its predecessor's,
   * else its own id (also for a key not in the index).
   */
  public String identityOf(String keyId) {
    Table t = table;
    int slot = t.findId(keyId, utf8(keyId));
    if (slot < 0) {
      return keyId;
    }
    int v = (int) SLOT.getAcquire(t.byId, slot);
    if (v <= 0) {
      return keyId;
    }
    Extra extra = t.extras[v - 1];
    return extra == null || extra.identityId == null ? keyId : extra.identityId;
  }

  public @Nullable Developer developer(String id) {
    return developers.get(id);
  }

  /** Adds or replaces a key (matched by id: a changed record replaces the old entry). */
  public synchronized void put(ApiKeyRecord key) {
    String id = key.id();
    byte[] idBytes = utf8(id);
    if (idBytes.length > MAX_ID_BYTES) {
      throw new IllegalArgumentException("key id longer than " + MAX_ID_BYTES + " bytes");
    }
    Table t = table;
    if (t.records == t.capacity) {
      t = rebuild(grown(t));
    }
    int idSlot = t.findId(id, idBytes);
    int old = idSlot < 0 ? -1 : (int) SLOT.getAcquire(t.byId, idSlot) - 1;
    int idOffset = old < 0 ? t.appendId(idBytes) : t.idOffsets[old];
    int record = t.records++;
    KeyHash hash = key.hash();
    t.setDigest(record, hash.word0(), hash.word1(), hash.word2(), hash.word3());
    t.expires[record] = millis(key.expiresAt());
    t.statuses[record] = (byte) key.status().ordinal();
    t.developerIds[record] = share(sharedDeveloperIds, key.developerId());
    t.rights[record] = rightsOf(key);
    t.extras[record] = Extra.of(key);
    t.idOffsets[record] = idOffset;
    t.insertDigest(record);
    if (old >= 0 && !t.sameDigest(old, record)) {
      t.removeDigest(old);
    }
    if (idSlot >= 0) {
      SLOT.setRelease(t.byId, idSlot, record + 1);
    } else {
      t.insertId(idHash(idBytes, 0, idBytes.length), record);
    }
  }

  public synchronized void remove(String keyId) {
    Table t = table;
    int slot = t.findId(keyId, utf8(keyId));
    if (slot >= 0) {
      int record = (int) SLOT.getAcquire(t.byId, slot) - 1;
      SLOT.setRelease(t.byId, slot, TOMBSTONE);
      t.removeDigest(record);
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
  public synchronized void retainOnly(
      java.util.Set<String> keyIds, java.util.Set<String> developerIds) {
    Table t = table;
    java.util.List<String> gone = new java.util.ArrayList<>();
    for (int slot = 0; slot < t.byId.length; slot++) {
      int value = (int) SLOT.getAcquire(t.byId, slot);
      if (value != EMPTY && value != TOMBSTONE) {
        String id = t.id(value - 1);
        if (!keyIds.contains(id)) {
          gone.add(id);
        }
      }
    }
    gone.forEach(this::remove);
    developers.keySet().retainAll(developerIds);
  }

  public int size() {
    return table.size;
  }

  /**
   * Makes room for {@code expectedKeys} keys in all, so that a load told its count up front fills
   * the index without growing it step by step: each growth copies every key (a third of the CPU of
   * loading a million keys, bench/results/budget-2026-12-05.md §4). Never shrinks; a wrong guess
   * only costs a growth, or the trim of {@link #markReady}.
   */
  public synchronized void reserve(int expectedKeys) {
    int room = expectedKeys + expectedKeys / 16 + MIN_CAPACITY; // what markReady keeps
    if (expectedKeys > 0 && room > table.capacity) {
      rebuild(room);
    }
  }

  public boolean ready() {
    return ready;
  }

  /**
   * The load is complete: from now on the index judges requests. Also trims the room left from
   * growing during the load, so a loaded index holds little more than its keys.
   */
  public void markReady() {
    synchronized (this) {
      Table t = table;
      int live = t.size;
      int snug = live + live / 16 + MIN_CAPACITY;
      if (t.capacity > snug + snug / 8) {
        rebuild(snug);
      } else if (t.idsUsed < t.ids.length) {
        t.ids = Arrays.copyOf(t.ids, t.idsUsed);
      }
    }
    ready = true;
  }

  private Rights rightsOf(ApiKeyRecord key) {
    ApiKeyRecord last = lastRightsOf;
    Rights rights = lastRights;
    if (last != null
        && rights != null
        && key.apis() == last.apis()
        && key.scopes() == last.scopes()
        && key.allowedCidrs() == last.allowedCidrs()
        && Objects.equals(key.plan(), last.plan())) {
      return rights;
    }
    rights = share(sharedRights, Rights.of(key));
    lastRightsOf = key;
    lastRights = rights;
    return rights;
  }

  private static int grown(Table t) {
    int live = t.size;
    return Math.max(MIN_CAPACITY, live + Math.max(live / 2, MIN_CAPACITY));
  }

  /**
   * A new table of {@code capacity} records holding the live ones, published when complete. Also
   * drops developer ids and rights no live key refers to any more.
   */
  private Table rebuild(int capacity) {
    Table old = table;
    Table next = new Table(Math.max(capacity, old.size + MIN_CAPACITY), old.idsUsed);
    Map<String, String> developerIds = new HashMap<>();
    Map<Rights, Rights> rights = new HashMap<>();
    // the old table's instances are already shared: look them up by identity, not by hashing
    // (a Rights hashes its sets) once per record
    Map<String, String> sameDeveloper = new IdentityHashMap<>();
    Map<Rights, Rights> sameRights = new IdentityHashMap<>();
    int[] moved = new int[old.records];
    Arrays.fill(moved, -1);
    for (int v : old.byHash) {
      if (v > 0) {
        int from = v - 1;
        int to = next.records++;
        next.copy(old, from, to);
        next.developerIds[to] =
            sameDeveloper.computeIfAbsent(old.developerIds[from], d -> share(developerIds, d));
        next.rights[to] = sameRights.computeIfAbsent(old.rights[from], r -> share(rights, r));
        next.insertDigest(to);
        moved[from] = to;
      }
    }
    for (int v : old.byId) {
      if (v > 0 && moved[v - 1] >= 0) {
        int to = moved[v - 1];
        next.insertId(next.idHash(to), to);
      }
    }
    sharedDeveloperIds = developerIds;
    sharedRights = rights;
    lastRightsOf = null;
    lastRights = null;
    table = next;
    return next;
  }

  private static <T> T share(Map<T, T> shared, T value) {
    T known = shared.putIfAbsent(value, value);
    return known == null ? value : known;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static long millis(@Nullable Instant t) {
    return t == null ? NEVER : t.toEpochMilli();
  }

  /**
   * FNV-1a over an id's UTF-8 bytes. Not {@link String#hashCode}: its multiplier 31 is smaller than
   * the spread of the characters, so ids that differ in their last two digits collide outright
   * ({@code ...1a} and {@code ...2B}: 31 x 1 = 'a' - 'B'), and the ids of a bulk import (a common
   * prefix and a counter) fell into long probe runs.
   */
  private static int idHash(byte[] bytes, int from, int length) {
    int h = 0x811C9DC5;
    for (int i = from; i < from + length; i++) {
      h = (h ^ (bytes[i] & 0xff)) * 0x01000193;
    }
    return h;
  }

  /** Maps a 32-bit hash onto {@code [0, n)} without a power-of-two table (multiply-shift). */
  private static int home(int hash, int n) {
    return (int) (((hash * 0x9E3779B9) & 0xFFFF_FFFFL) * n >>> 32);
  }

  /** The rare part of a key: a rotation's identity (when not the key's own id) and grace. */
  private record Extra(@Nullable String identityId, long graceUntilMillis) {
    static @Nullable Extra of(ApiKeyRecord key) {
      String identity = key.identityId().equals(key.id()) ? null : key.identityId();
      long grace = millis(key.graceUntil());
      return identity == null && grace == NEVER ? null : new Extra(identity, grace);
    }
  }

  /** Records in columns and the two slot tables; see the class comment for who writes what. */
  private static final class Table {
    final int capacity;
    final int[] byHash;
    final int[] byId;
    final long[] digests;
    final long[] expires;
    final byte[] statuses;
    final String[] developerIds;
    final Rights[] rights;
    final @Nullable Extra[] extras;
    final int[] idOffsets;
    volatile byte[] ids;
    // the writer's own
    int idsUsed;
    int records;
    // written by the writer only; read by size() without ordering
    volatile int size;

    Table(int capacity, int idBytes) {
      this.capacity = capacity;
      int slots = capacity + capacity / 3 + 1;
      this.byHash = new int[slots];
      this.byId = new int[slots];
      this.digests = new long[4 * capacity];
      this.expires = new long[capacity];
      this.statuses = new byte[capacity];
      this.developerIds = new String[capacity];
      this.rights = new Rights[capacity];
      this.extras = new Extra[capacity];
      this.idOffsets = new int[capacity];
      this.ids = new byte[Math.max(idBytes, 32)];
    }

    /** The record with this digest, or -1. */
    int find(long a, long b, long c, long d) {
      int[] slots = byHash;
      int n = slots.length;
      int i = home(digestHash(a), n);
      while (true) {
        int v = (int) SLOT.getAcquire(slots, i);
        if (v == EMPTY) {
          return -1;
        }
        if (v > 0) {
          int o = (v - 1) << 2;
          if (digests[o] == a
              && digests[o + 1] == b
              && digests[o + 2] == c
              && digests[o + 3] == d) {
            return v - 1;
          }
        }
        if (++i == n) {
          i = 0;
        }
      }
    }

    IndexedKey view(int record) {
      Extra extra = extras[record];
      return new IndexedKey(
          ids,
          idOffsets[record],
          extra == null ? null : extra.identityId,
          developerIds[record],
          STATUSES[statuses[record]],
          expires[record],
          extra == null ? NEVER : extra.graceUntilMillis,
          rights[record]);
    }

    /** The slot in {@link #byId} that holds this id, or -1. */
    int findId(String id, byte[] utf8) {
      int[] slots = byId;
      int n = slots.length;
      int i = home(KeyIndex.idHash(utf8, 0, utf8.length), n);
      while (true) {
        int v = (int) SLOT.getAcquire(slots, i);
        if (v == EMPTY) {
          return -1;
        }
        if (v > 0 && idEquals(v - 1, utf8)) {
          return i;
        }
        if (++i == n) {
          i = 0;
        }
      }
    }

    /** The id of {@code record}, decoded from the arena. */
    String id(int record) {
      byte[] arena = ids;
      int at = idOffsets[record];
      return new String(arena, at + 1, arena[at] & 0xff, StandardCharsets.UTF_8);
    }

    private boolean idEquals(int record, byte[] utf8) {
      byte[] arena = ids;
      int at = idOffsets[record];
      int length = arena[at] & 0xff;
      return length == utf8.length
          && Arrays.equals(arena, at + 1, at + 1 + length, utf8, 0, length);
    }

    /** The hash of the id of {@code record}, as {@link KeyIndex#idHash} of its bytes. */
    int idHash(int record) {
      byte[] arena = ids;
      int at = idOffsets[record];
      return KeyIndex.idHash(arena, at + 1, arena[at] & 0xff);
    }

    int appendId(byte[] utf8) {
      int need = idsUsed + 1 + utf8.length;
      byte[] arena = ids;
      if (need > arena.length) {
        // published after the copy, through the volatile field
        arena = Arrays.copyOf(arena, Math.max(need, arena.length + (arena.length >> 1)));
      }
      int at = idsUsed;
      arena[at] = (byte) utf8.length;
      System.arraycopy(utf8, 0, arena, at + 1, utf8.length);
      idsUsed = need;
      ids = arena;
      return at;
    }

    void setDigest(int record, long a, long b, long c, long d) {
      int o = record << 2;
      digests[o] = a;
      digests[o + 1] = b;
      digests[o + 2] = c;
      digests[o + 3] = d;
    }

    boolean sameDigest(int x, int y) {
      return Arrays.equals(digests, x << 2, (x << 2) + 4, digests, y << 2, (y << 2) + 4);
    }

    /** Points this record's digest at it: the slot already holding that digest, else a new one. */
    void insertDigest(int record) {
      int o = record << 2;
      long a = digests[o];
      int[] slots = byHash;
      int n = slots.length;
      int i = home(digestHash(a), n);
      int free = -1;
      while (true) {
        int v = (int) SLOT.getAcquire(slots, i);
        if (v == EMPTY) {
          break;
        }
        if (v == TOMBSTONE) {
          if (free < 0) {
            free = i;
          }
        } else if (sameDigest(v - 1, record)) {
          SLOT.setRelease(slots, i, record + 1);
          return;
        }
        if (++i == n) {
          i = 0;
        }
      }
      SLOT.setRelease(slots, free < 0 ? i : free, record + 1);
      size = size + 1;
    }

    /** Tombstones the slot of this record's digest if it still points at this record. */
    void removeDigest(int record) {
      int o = record << 2;
      int[] slots = byHash;
      int n = slots.length;
      int i = home(digestHash(digests[o]), n);
      while (true) {
        int v = (int) SLOT.getAcquire(slots, i);
        if (v == EMPTY) {
          return;
        }
        if (v == record + 1) {
          SLOT.setRelease(slots, i, TOMBSTONE);
          size = size - 1;
          return;
        }
        if (++i == n) {
          i = 0;
        }
      }
    }

    /** Adds an id known not to be in the table. */
    void insertId(int idHash, int record) {
      int[] slots = byId;
      int n = slots.length;
      int i = home(idHash, n);
      while ((int) SLOT.getAcquire(slots, i) > 0) {
        if (++i == n) {
          i = 0;
        }
      }
      SLOT.setRelease(slots, i, record + 1);
    }

    void copy(Table from, int source, int target) {
      System.arraycopy(from.digests, source << 2, digests, target << 2, 4);
      expires[target] = from.expires[source];
      statuses[target] = from.statuses[source];
      extras[target] = from.extras[source];
      byte[] arena = from.ids;
      int at = from.idOffsets[source];
      int length = arena[at] & 0xff;
      idOffsets[target] = appendId(Arrays.copyOfRange(arena, at + 1, at + 1 + length));
    }

    private static int digestHash(long a) {
      // the digest is uniformly distributed already
      return (int) (a ^ (a >>> 32));
    }
  }
}
