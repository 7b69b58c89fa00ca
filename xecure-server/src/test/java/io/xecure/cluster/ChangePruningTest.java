package io.xecure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.xecure.config.RetentionConfig;
import io.xecure.jobs.RetentionJob;
import io.xecure.keys.IndexedKey;
import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.store.DeveloperEdit;
import io.xecure.store.NodeStore.Node;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import io.xecure.testing.ApiKeyRecordBuilder;
import io.xecure.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed is pruned past {@code retention.changes}, never past what a live node still
 * needs; a node that was away for longer finds a gap and loads its snapshot again, ending with the
 * store's state rather than missing the changes that were pruned.
 */
class ChangePruningTest {
  @SuppressWarnings("NullAway.Init") // injected by JUnit
  @TempDir
  Path dir;

  @SuppressWarnings("NullAway.Init") // set before each test
  private JdbcStore store;

  private final Vertx vertx = Vertx.vertx();

  @BeforeEach
  void open() {
    store = JdbcStore.open(TestDatabases.h2Url(dir), null, null);
  }

  @AfterEach
  void close() {
    store.close();
    vertx.close();
  }

  @Test
  void aNodeAwayLongerThanTheRetentionReloadsItsSnapshotAndEndsConsistent() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertDeveloper(developer("dev_bob"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);
    store.insertKey(key("key_2", "dev_bob", 2), null);
    KeyIndex away = new KeyIndex();
    ChangeApplier applier = new ChangeApplier(store, away, () -> {}, System::nanoTime);
    applier.load();
    assertThat(status(away, 1)).isEqualTo(KeyStatus.ACTIVE);

    // while the node is away: changes it must not miss
    store.revokeKey("key_1", null);
    store.deleteDeveloper("dev_bob", Instant.now(), null);
    store.insertKey(key("key_3", "dev_ada", 3), null);
    store.editDeveloper("dev_ada", new DeveloperEdit(null, null, DeveloperStatus.SUSPENDED), null);
    long latest = store.latestSequence();

    // a day later another node, live and caught up, prunes the feed
    heartbeat("node-live", latest);
    heartbeat("node-away", applier.applied());
    MutableClock later = new MutableClock(Instant.now().plus(Duration.ofDays(2)));
    RetentionJob job =
        new RetentionJob(
            vertx,
            store,
            RetentionConfig.DEFAULT,
            later,
            new RetentionJob.Feed(store, store, node -> node.id().equals("node-live")));
    assertThat(job.run().changes()).as("all but the latest change").isEqualTo(latest - 1);

    applier.catchUp();

    assertThat(applier.reloads()).isEqualTo(1);
    assertThat(applier.applied()).isEqualTo(latest);
    assertThat(status(away, 1)).isEqualTo(KeyStatus.REVOKED);
    assertThat(status(away, 2)).isEqualTo(KeyStatus.REVOKED);
    assertThat(status(away, 3)).isEqualTo(KeyStatus.ACTIVE);
    assertThat(away.developer("dev_bob")).isNull();
    Developer ada = Objects.requireNonNull(away.developer("dev_ada"), "dev_ada in the index");
    assertThat(ada.status()).isEqualTo(DeveloperStatus.SUSPENDED);
  }

  @Test
  void changesALiveNodeHasNotAppliedAreKeptHoweverOld() {
    store.insertDeveloper(developer("dev_ada"), null);
    for (int i = 1; i <= 5; i++) {
      store.insertKey(key("key_" + i, "dev_ada", i), null);
    }
    heartbeat("node-a", store.latestSequence());
    heartbeat("node-b", 2); // live, behind
    MutableClock later = new MutableClock(Instant.now().plus(Duration.ofDays(2)));
    RetentionJob job =
        new RetentionJob(
            vertx,
            store,
            RetentionConfig.DEFAULT,
            later,
            new RetentionJob.Feed(store, store, n -> true));

    assertThat(job.run().changes()).isEqualTo(2);
    assertThat(store.changesAfter(2, 100).changes()).hasSize(4);

    // within the retention nothing goes, whatever the nodes applied
    heartbeat("node-b", store.latestSequence());
    RetentionJob today =
        new RetentionJob(
            vertx,
            store,
            RetentionConfig.DEFAULT,
            new MutableClock(Instant.now()),
            new RetentionJob.Feed(store, store, n -> true));
    assertThat(today.run().changes()).isZero();
  }

  private void heartbeat(String id, long applied) {
    Instant now = Instant.now();
    store.heartbeat(new Node(id, "127.0.0.1:1", "test", now, now, applied, 0, "not configured"));
  }

  private static @Nullable KeyStatus status(KeyIndex index, int seed) {
    IndexedKey key = index.get(hash(seed));
    return key == null ? null : key.status();
  }

  private static Developer developer(String id) {
    return new Developer(
        id, "Dev " + id, id + "@example.com", DeveloperStatus.ACTIVE, Instant.EPOCH);
  }

  private static ApiKeyRecord key(String id, String developerId, int seed) {
    return ApiKeyRecordBuilder.key(id, developerId).secret("xk_test0", hash(seed)).build();
  }

  private static KeyHash hash(int seed) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) seed;
    return KeyHash.of(bytes);
  }
}
