package io.xecure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.ClusterConfig;
import io.xecure.keys.IndexedKey;
import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.store.ChangeLog;
import io.xecure.store.StoreUnavailableException;
import io.xecure.testing.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The one applier: where the loader and the feed meet, and what a failed load does. */
class ChangeApplierTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private final MemoryStore store = new MemoryStore();
  private final KeyIndex index = new KeyIndex();

  @Test
  void aRevocationCommittedWhileTheNodeLoadsIsNotUndoneByTheLoadersOlderSnapshot() {
    store.insertDeveloper(new Developer("dev_1", "Ada", "ada@example.com", active(), T0), null);
    ApiKeyRecord key = key("key_1", 1);
    store.insertKey(key, null);
    // the loader streams the key as it was, and the revocation commits right after it
    ChangeLog racing =
        new Delegating(store) {
          @Override
          public long loadSnapshot(Consumer<Developer> d, Consumer<ApiKeyRecord> k) {
            return store.loadSnapshot(
                d,
                record -> {
                  k.accept(record);
                  store.revokeKey(record.id(), null);
                });
          }
        };
    ChangeApplier applier = new ChangeApplier(racing, index, () -> {}, System::nanoTime);

    applier.load();

    assertThat(status(key.hash())).isEqualTo(KeyStatus.REVOKED);
    assertThat(applier.applied()).isEqualTo(store.latestSequence());
  }

  @Test
  void aKeyCountHintThatIsOffEitherWayStillLoadsEveryKey() {
    store.insertDeveloper(new Developer("dev_1", "Ada", "ada@example.com", active(), T0), null);
    for (int n = 1; n <= 100; n++) {
      store.insertKey(key("key_" + n, n), null);
    }
    for (int hint : new int[] {3, 50_000}) {
      KeyIndex fresh = new KeyIndex(16);
      ChangeLog hinting =
          new Delegating(store) {
            @Override
            public int keyCountHint() {
              return hint;
            }
          };

      new ChangeApplier(hinting, fresh, () -> {}, System::nanoTime).load();

      assertThat(fresh.ready()).isTrue();
      assertThat(fresh.size()).as("hint %d", hint).isEqualTo(100);
      for (int n = 1; n <= 100; n++) {
        IndexedKey k = fresh.get(key("key_" + n, n).hash());
        assertThat(k).as("key_%d with hint %d", n, hint).isNotNull();
      }
    }
  }

  @Test
  void changesBeforeTheFirstLoadWaitForItAndNoneIsApplied() {
    ChangeApplier applier = new ChangeApplier(store, index, () -> {}, System::nanoTime);
    store.insertDeveloper(new Developer("dev_1", "Ada", "ada@example.com", active(), T0), null);
    store.insertKey(key("key_1", 1), null);

    assertThat(applier.catchUp()).isZero();
    assertThat(index.ready()).isFalse();
    applier.load();
    assertThat(index.ready()).isTrue();
    assertThat(status(key("key_1", 1).hash())).isEqualTo(KeyStatus.ACTIVE);
  }

  @Test
  void aFailedLoadIsRetriedWithBackOffUntilItSucceeds() throws Exception {
    store.insertDeveloper(new Developer("dev_1", "Ada", "ada@example.com", active(), T0), null);
    store.insertKey(key("key_1", 1), null);
    AtomicInteger attempts = new AtomicInteger();
    ChangeLog flaky =
        new Delegating(store) {
          @Override
          public long loadSnapshot(Consumer<Developer> d, Consumer<ApiKeyRecord> k) {
            if (attempts.incrementAndGet() <= 2) {
              throw new StoreUnavailableException("test: down", new java.io.IOException("down"));
            }
            return store.loadSnapshot(d, k);
          }
        };
    ChangeApplier applier = new ChangeApplier(flaky, index, () -> {}, System::nanoTime);
    try (ChangeFeed feed = new ChangeFeed(applier, flaky, config())) {
      feed.start();
      feed.loaded().get(10, TimeUnit.SECONDS);
    }
    assertThat(attempts).hasValue(3);
    assertThat(index.ready()).isTrue();
    assertThat(status(key("key_1", 1).hash())).isEqualTo(KeyStatus.ACTIVE);
  }

  @Test
  void closingTheFeedStopsALoadInProgressWithoutRetryingIt() throws Exception {
    store.insertDeveloper(new Developer("dev_1", "Ada", "ada@example.com", active(), T0), null);
    CountDownLatch streaming = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean ended = new AtomicBoolean();
    // a snapshot that never ends by itself: only the feed's close can stop it
    ChangeLog endless =
        new Delegating(store) {
          @Override
          public long loadSnapshot(Consumer<Developer> d, Consumer<ApiKeyRecord> k) {
            attempts.incrementAndGet();
            try {
              for (int n = 0; ; n++) {
                k.accept(key("key_" + (n % 1000), n % 1000));
                streaming.countDown();
              }
            } finally {
              ended.set(true);
            }
          }
        };
    ChangeApplier applier = new ChangeApplier(endless, index, () -> {}, System::nanoTime);
    ChangeFeed feed = new ChangeFeed(applier, endless, config());
    feed.start();
    assertThat(streaming.await(10, TimeUnit.SECONDS)).isTrue();

    feed.close();

    assertThat(ended).as("the snapshot stopped streaming").isTrue();
    assertThat(feed.loaded()).isNotDone();
    assertThat(index.ready()).isFalse();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aChangeToAnApiOrPlanReloadsTheRoutingOncePerBatch() {
    AtomicInteger reloads = new AtomicInteger();
    ChangeApplier applier =
        new ChangeApplier(store, index, reloads::incrementAndGet, System::nanoTime);
    applier.load();
    assertThat(reloads).hasValue(1);
    store.putConfigChange(
        new io.xecure.store.ConfigChange(
            io.xecure.store.ConfigChange.Kind.API, "a", "{}", "absent", T0),
        null);
    store.putConfigChange(
        new io.xecure.store.ConfigChange(
            io.xecure.store.ConfigChange.Kind.PLAN, "p", "{}", "absent", T0),
        null);

    assertThat(applier.catchUp()).isEqualTo(2);
    assertThat(reloads).hasValue(2);
  }

  private static ClusterConfig config() {
    return new ClusterConfig(
        null,
        ClusterConfig.DEFAULT_LIMITER_TIMEOUT,
        ClusterConfig.DEFAULT_KEY_PREFIX,
        Duration.ofMillis(100),
        Duration.ofSeconds(30),
        true,
        Duration.ofSeconds(5));
  }

  private @Nullable KeyStatus status(KeyHash hash) {
    IndexedKey k = index.get(hash);
    return k == null ? null : k.status();
  }

  private static DeveloperStatus active() {
    return DeveloperStatus.ACTIVE;
  }

  private static ApiKeyRecord key(String id, int n) {
    byte[] hash = new byte[32];
    hash[0] = (byte) n;
    return new ApiKeyRecord(
        id,
        "dev_1",
        "k",
        "xk_abc",
        KeyHash.ofHex(java.util.HexFormat.of().formatHex(hash)),
        KeyStatus.ACTIVE,
        T0,
        null,
        List.of("*"),
        List.of(),
        List.of(),
        null,
        null,
        null,
        null,
        id,
        null);
  }

  /** A change log that forwards to the memory store; tests override one method. */
  private static class Delegating implements ChangeLog {
    final MemoryStore store;

    Delegating(MemoryStore store) {
      this.store = store;
    }

    @Override
    public long loadSnapshot(Consumer<Developer> d, Consumer<ApiKeyRecord> k) {
      return store.loadSnapshot(d, k);
    }

    @Override
    public Batch changesAfter(long after, int limit) {
      return store.changesAfter(after, limit);
    }

    @Override
    public long latestSequence() {
      return store.latestSequence();
    }

    @Override
    public int deleteChangesBefore(java.time.Instant cutoff, long atMost, int limit) {
      return store.deleteChangesBefore(cutoff, atMost, limit);
    }

    @Override
    public Subscription subscribe(Listener listener) {
      return Subscription.NONE;
    }
  }
}
