package io.xecure.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.testing.ApiKeyRecordBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * One writer replacing, re-hashing, removing and re-adding keys (and so growing and rebuilding the
 * table) while readers look keys up: every entry a reader gets must be one the writer wrote whole
 * (its id, developer, rights and expiry all of the same version, and the id the one its hash
 * belongs to), and a key the writer never removes is never missed.
 */
class KeyIndexConcurrencyTest {
  private static final int STABLE = 2_000;
  private static final int CHURNING = 2_000;
  private static final int WRITES = 100_000;
  private static final int READERS = 2;

  private final KeyHasher hasher = new KeyHasher("pepper");

  /** Every version of a churning key carries its version in four fields. */
  private ApiKeyRecordBuilder version(int key, int v) {
    // the hash changes with v's parity: replacing re-hashes every other time
    return ApiKeyRecordBuilder.key("key_c" + key, "dev_" + v)
        .secret("xk_", hash(key, v % 2))
        .apis("api_" + v)
        .scopes(List.of("scope_" + v))
        .expiresAt(Instant.ofEpochMilli(1_000_000L + v))
        .status(v % 3 == 0 ? KeyStatus.REVOKED : KeyStatus.ACTIVE);
  }

  private KeyHash hash(int key, int parity) {
    return hasher.hash("c" + key + "/" + parity);
  }

  @Test
  void readersNeverSeeAMixedEntryNorMissAKeptKeyWhileOneWriterChurns() throws Exception {
    KeyIndex index = new KeyIndex(16);
    List<KeyHash> stable = new ArrayList<>();
    for (int i = 0; i < STABLE; i++) {
      KeyHash h = hasher.hash("s" + i);
      stable.add(h);
      index.put(ApiKeyRecordBuilder.key("key_s" + i, "dev_s").secret("xk_", h).build());
    }
    KeyHash[][] churnHashes = new KeyHash[CHURNING][2];
    for (int i = 0; i < CHURNING; i++) {
      churnHashes[i][0] = hash(i, 0);
      churnHashes[i][1] = hash(i, 1);
    }
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicLong hits = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < READERS; r++) {
      int seed = r;
      Thread reader =
          new Thread(
              () -> {
                int i = seed;
                while (!done.get() && problems.size() < 10) {
                  i = (i * 1_103_515_245 + 12_345) & Integer.MAX_VALUE;
                  KeyHash kept = stable.get(i % STABLE);
                  IndexedKey s = index.get(kept);
                  if (s == null || !s.id().equals("key_s" + (i % STABLE))) {
                    problems.add("kept key " + (i % STABLE) + " read as " + s);
                  }
                  int c = i % CHURNING;
                  int parity = (i >>> 16) & 1;
                  IndexedKey k = index.get(churnHashes[c][parity]);
                  if (k != null) {
                    hits.incrementAndGet();
                    String problem = mixed(k, c, parity);
                    if (problem != null) {
                      problems.add(problem);
                    }
                  }
                }
              });
      reader.start();
      readers.add(reader);
    }
    int[] versions = new int[CHURNING];
    java.util.Random random = new java.util.Random(42);
    for (int w = 0; w < WRITES; w++) {
      int c = random.nextInt(CHURNING);
      if (random.nextInt(10) == 0) {
        index.remove("key_c" + c);
      } else {
        index.put(version(c, ++versions[c]).build());
      }
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join(60_000);
      assertThat(reader.isAlive()).isFalse();
    }

    assertThat(problems).isEmpty();
    assertThat(hits.get()).isPositive();
    for (int i = 0; i < STABLE; i++) {
      assertThat(index.get(stable.get(i))).isNotNull();
    }
  }

  /** What is wrong with entry {@code k} found under churning key {@code c}'s hash, or null. */
  private static @Nullable String mixed(IndexedKey k, int c, int parity) {
    if (!k.id().equals("key_c" + c)) {
      return "hash of key_c" + c + " found " + k.id();
    }
    String dev = k.developerId().substring("dev_".length());
    int v = Integer.parseInt(dev);
    boolean whole =
        v % 2 == parity
            && k.apis().equals(java.util.Set.of("api_" + v))
            && k.scopes().equals(java.util.Set.of("scope_" + v))
            && k.expiresAtMillis() == 1_000_000L + v
            && k.status() == (v % 3 == 0 ? KeyStatus.REVOKED : KeyStatus.ACTIVE);
    return whole ? null : "mixed entry for key_c" + c + " at version " + v + ": " + k.apis();
  }
}
