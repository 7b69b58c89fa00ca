package io.xecure.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xecure.events.RequestEvent;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.store.AdminEvent;
import io.xecure.store.ChangeLog;
import io.xecure.store.ConfigChange;
import io.xecure.store.ConfigChange.Kind;
import io.xecure.store.DeveloperEdit;
import io.xecure.store.EventFilter;
import io.xecure.store.KeyEdit;
import io.xecure.store.KeyFilter;
import io.xecure.store.Page;
import io.xecure.store.StoreUnavailableException;
import io.xecure.store.StoredEvent;
import io.xecure.testing.ApiKeyRecordBuilder;
import io.xecure.testing.RequestEventBuilder;
import io.xecure.usage.KeyUse;
import io.xecure.usage.UsageAggregator;
import io.xecure.usage.UsageCounts;
import io.xecure.usage.UsageDimension;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageRow;
import io.xecure.usage.UsageSeries;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link io.xecure.store.Store} contract, run unchanged on every backend: each subclass only
 * says how to open a fresh, empty store.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");

  @SuppressWarnings("NullAway.Init") // set before each test
  JdbcStore store;

  /** A store on a fresh, empty database. */
  abstract JdbcStore openStore();

  /** For the printed timings. */
  abstract String backend();

  @BeforeEach
  void openFreshStore() {
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    // null when openStore() skipped the test (no PostgreSQL)
    if (store != null) {
      store.close();
    }
  }

  // ---- developers

  @Test
  void developerRoundTripsAndUpdates() {
    Developer ada = store.insertDeveloper(developer("dev_ada"), null);

    assertThat(store.developer("dev_ada")).contains(ada);
    Developer changed =
        new Developer("dev_ada", "Ada L.", "ada@new.example", DeveloperStatus.SUSPENDED, T0);
    assertThat(
            store.editDeveloper(
                "dev_ada",
                new DeveloperEdit("Ada L.", "ada@new.example", DeveloperStatus.SUSPENDED),
                null))
        .contains(changed);
    assertThat(store.developer("dev_ada")).contains(changed);
    assertThat(store.developer("dev_nobody")).isEmpty();
    assertThat(store.editDeveloper("dev_nobody", new DeveloperEdit("x", null, null), null))
        .isEmpty();
  }

  /** A suspend and a rename of the same developer, in either order, both stay written. */
  @Test
  void developerEditsWriteOnlyTheFieldsTheySet() {
    store.insertDeveloper(developer("dev_ada"), null);
    long before = store.latestSequence();

    store.editDeveloper("dev_ada", new DeveloperEdit(null, null, DeveloperStatus.SUSPENDED), null);
    store.editDeveloper("dev_ada", new DeveloperEdit("Ada L.", null, null), null);
    store.editDeveloper("dev_ada", new DeveloperEdit(null, "ada@new.example", null), null);

    assertThat(store.developer("dev_ada"))
        .hasValueSatisfying(
            d -> {
              assertThat(d.status()).isEqualTo(DeveloperStatus.SUSPENDED);
              assertThat(d.name()).isEqualTo("Ada L.");
              assertThat(d.email()).isEqualTo("ada@new.example");
            });
    assertThat(store.changesAfter(before, 10).changes()).hasSize(3);
  }

  // ---- a change and its admin event: one transaction

  @Test
  void aChangeIsWrittenWithItsAdminEvent() {
    long before = store.latestSequence();
    store.insertDeveloper(developer("dev_ada"), event("developer.created", "dev_ada"));
    store.insertKey(key("key_1", "dev_ada", 1), event("key.created", "key_1"));
    store.revokeKey("key_1", event("key.revoked", "key_1"));
    store.deleteDeveloper(
        "dev_ada", T0, revoked -> event("developer.deleted", "revoked_keys=" + revoked.size()));

    assertThat(store.adminEvents(10))
        .extracting(AdminEvent::action)
        .containsExactly("developer.deleted", "key.revoked", "key.created", "developer.created");
    assertThat(store.adminEvents(1).get(0).target()).startsWith("revoked_keys=");
    assertThat(store.changesAfter(before, 10).changes()).hasSize(4);
  }

  /** The admin event cannot be stored (a NOT NULL column left null): the change is not either. */
  @Test
  @SuppressWarnings("NullAway") // a broken event on purpose
  void aChangeWhoseAdminEventFailsIsNotWritten() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);
    long before = store.latestSequence();
    AdminEvent broken = new AdminEvent(T0, "cli", "key.revoked", "key_1", null);

    assertThatThrownBy(() -> store.revokeKey("key_1", broken)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> store.insertKey(key("key_2", "dev_ada", 2), broken))
        .isInstanceOf(RuntimeException.class);

    assertThat(store.key("key_1"))
        .hasValueSatisfying(k -> assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE));
    assertThat(store.key("key_2")).isEmpty();
    assertThat(store.latestSequence()).isEqualTo(before);
    assertThat(store.adminEvents(10)).isEmpty();
  }

  /** The change fails (an unknown developer): its admin event is not written either. */
  @Test
  void anAdminEventWhoseChangeFailsIsNotWritten() {
    assertThatThrownBy(
            () -> store.insertKey(key("key_1", "dev_nobody", 1), event("key.created", "key_1")))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.adminEvents(10)).isEmpty();
  }

  private static AdminEvent event(String action, String target) {
    return new AdminEvent(T0, "cli", action, target, "");
  }

  @Test
  void duplicateDeveloperIdIsRejected() {
    store.insertDeveloper(developer("dev_ada"), null);

    assertThatThrownBy(() -> store.insertDeveloper(developer("dev_ada"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate developer");
  }

  @Test
  void developersArePagedByIdWithCursors() {
    List<String> ids = new ArrayList<>(List.of("dev_a", "dev_b", "dev_c", "dev_d", "dev_e"));
    Collections.shuffle(ids, new Random(1));
    ids.forEach(id -> store.insertDeveloper(developer(id), null));

    Page<Developer> first = store.developers(2, null);
    Page<Developer> second = store.developers(2, first.nextCursor());
    Page<Developer> last = store.developers(2, second.nextCursor());

    assertThat(first.items()).extracting(Developer::id).containsExactly("dev_a", "dev_b");
    assertThat(first.nextCursor()).isEqualTo("dev_b");
    assertThat(second.items()).extracting(Developer::id).containsExactly("dev_c", "dev_d");
    assertThat(last.items()).extracting(Developer::id).containsExactly("dev_e");
    assertThat(last.nextCursor()).isNull();
    assertThat(store.developers(5, null).nextCursor()).isNull();
  }

  @Test
  void deletingADeveloperRevokesItsKeysAndHidesIt() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertDeveloper(developer("dev_bob"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);
    store.insertKey(key("key_2", "dev_ada", 2).withStatus(KeyStatus.EXPIRED), null);
    store.insertKey(key("key_3", "dev_ada", 3).withStatus(KeyStatus.REVOKED), null);
    store.insertKey(key("key_4", "dev_bob", 4), null);

    assertThat(store.deleteDeveloper("dev_ada", T0, null))
        .hasValueSatisfying(ids -> assertThat(ids).containsExactlyInAnyOrder("key_1", "key_2"));

    assertThat(store.developer("dev_ada")).isEmpty();
    assertThat(store.developers(10, null).items())
        .extracting(Developer::id)
        .containsExactly("dev_bob");
    assertThat(store.keys(new KeyFilter("dev_ada", null), 10, null).items())
        .extracting(ApiKeyRecord::status)
        .containsOnly(KeyStatus.REVOKED)
        .hasSize(3);
    assertThat(store.key("key_4"))
        .hasValueSatisfying(k -> assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE));
    assertThat(store.editDeveloper("dev_ada", new DeveloperEdit("x", null, null), null)).isEmpty();
    assertThat(store.deleteDeveloper("dev_ada", T0, null)).isEmpty();
    assertThat(store.deleteDeveloper("dev_nobody", T0, null)).isEmpty();
  }

  // ---- keys

  @Test
  void keyRoundTripsByIdAndByHash() {
    store.insertDeveloper(developer("dev_ada"), null);
    ApiKeyRecord full =
        ApiKeyRecordBuilder.key("key_full", "dev_ada")
            .name("ci key")
            .secret("4fJ2abcd", hash(7))
            .createdAt(T0)
            .expiresAt(T0.plusSeconds(3600))
            .apis("users", "analytics")
            .scopes(List.of("users:read", "users:*"))
            .allowedCidrs(List.of("10.0.0.0/8", "2001:db8::/32"))
            .plan("pro")
            .lastUse(T0.plusSeconds(60), "203.0.113.9")
            .replaces("key_old", "key_first")
            .graceUntil(T0.plusSeconds(86_400))
            .build();
    ApiKeyRecord bare = key("key_bare", "dev_ada", 8);
    store.insertKey(full, null);
    store.insertKey(bare, null);

    assertThat(store.key("key_full")).contains(full);
    assertThat(store.keyByHash(hash(7))).contains(full);
    assertThat(store.key("key_bare")).contains(bare);
    assertThat(store.key("key_none")).isEmpty();
    assertThat(store.keyByHash(hash(9))).isEmpty();
  }

  @Test
  void listElementsRoundTripWhateverTheyHold() {
    store.insertDeveloper(developer("dev_ada"), null);
    List<String> awkward = List.of("a,b", "say \"hi\"", "back\\slash", "ünïcødé", "", "[]");
    ApiKeyRecord k =
        key("key_1", "dev_ada", 1).withRights("n", awkward, List.of(), awkward, null, null);
    store.insertKey(k, null);

    assertThat(store.key("key_1")).contains(k);
  }

  @Test
  void timesAreKeptToTheMicrosecond() {
    Instant withNanos = Instant.parse("2026-01-02T03:04:05.123456789Z");
    Developer d =
        new Developer("dev_ada", "Ada", "ada@example.com", DeveloperStatus.ACTIVE, withNanos);

    Developer stored = store.insertDeveloper(d, null);

    assertThat(stored.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    assertThat(store.developer("dev_ada")).contains(stored);
  }

  @Test
  void duplicateKeyHashOrIdIsRejected() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);

    assertThatThrownBy(() -> store.insertKey(key("key_2", "dev_ada", 1), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate key");
    assertThatThrownBy(() -> store.insertKey(key("key_1", "dev_ada", 2), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate key");
    assertThat(store.keyByHash(hash(2))).isEmpty();
  }

  @Test
  void keyOfAnUnknownDeveloperIsRejected() {
    assertThatThrownBy(() -> store.insertKey(key("key_1", "dev_nobody", 1), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown developer");
  }

  @Test
  void editWritesOnlyTheFieldsItSets() {
    store.insertDeveloper(developer("dev_ada"), null);
    ApiKeyRecord original = key("key_1", "dev_ada", 1);
    store.insertKey(original, null);

    ApiKeyRecord renamed =
        store
            .editKey(
                "key_1", new KeyEdit("renamed", null, null, null, false, null, false, null), null)
            .orElseThrow();
    assertThat(renamed)
        .isEqualTo(
            original.withRights(
                "renamed",
                original.apis(),
                original.scopes(),
                original.allowedCidrs(),
                original.expiresAt(),
                original.plan()));
    ApiKeyRecord changed =
        store
            .editKey(
                "key_1",
                new KeyEdit(
                    null,
                    List.of("*"),
                    List.of("a:b"),
                    List.of("192.0.2.0/24"),
                    true,
                    T0,
                    true,
                    "pro"),
                null)
            .orElseThrow();
    assertThat(changed)
        .isEqualTo(
            original.withRights(
                "renamed", List.of("*"), List.of("a:b"), List.of("192.0.2.0/24"), T0, "pro"));
    assertThat(store.key("key_1")).contains(changed);
    ApiKeyRecord cleared =
        store
            .editKey("key_1", new KeyEdit(null, null, null, null, true, null, true, null), null)
            .orElseThrow();
    assertThat(cleared.expiresAt()).isNull();
    assertThat(cleared.plan()).isNull();
    assertThat(
            store.editKey(
                "key_none", new KeyEdit("n", null, null, null, false, null, false, null), null))
        .isEmpty();
  }

  @Test
  void anEditAfterARevocationLeavesTheKeyRevoked() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);

    assertThat(store.revokeKey("key_1", null))
        .hasValueSatisfying(k -> assertThat(k.status()).isEqualTo(KeyStatus.REVOKED));
    store.editKey(
        "key_1", new KeyEdit("renamed", List.of("*"), null, null, false, null, false, null), null);

    assertThat(store.key("key_1"))
        .hasValueSatisfying(
            k -> {
              assertThat(k.status()).isEqualTo(KeyStatus.REVOKED);
              assertThat(k.name()).isEqualTo("renamed");
            });
    assertThat(store.revokeKey("key_none", null)).isEmpty();
  }

  @Test
  void aRotationRetiresAnActiveKeyOnceAndNeverARevokedOne() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);
    store.insertKey(key("key_2", "dev_ada", 2), null);
    store.revokeKey("key_2", null);

    assertThat(store.rotateKey("key_1", key("key_1b", "dev_ada", 11), T0, false, null))
        .hasValueSatisfying(
            k -> {
              assertThat(k.graceUntil()).isEqualTo(T0);
              assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE);
            });
    assertThat(store.key("key_1b")).isPresent();
    // a second rotation, and one of a revoked key, write nothing: no successor either
    assertThat(store.rotateKey("key_1", key("key_1c", "dev_ada", 12), T0, false, null)).isEmpty();
    assertThat(store.rotateKey("key_2", key("key_2b", "dev_ada", 22), T0, true, null)).isEmpty();
    assertThat(store.key("key_1c")).isEmpty();
    assertThat(store.key("key_2b")).isEmpty();
  }

  // ---- the change feed

  @Test
  void everyWriteTheIndexDependsOnIsAChangeInOrderWithItsCurrentState() {
    long start = store.latestSequence();
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);
    store.editKey(
        "key_1", new KeyEdit("renamed", null, null, null, false, null, false, null), null);
    store.insertKeys(List.of(key("key_2", "dev_ada", 2), key("key_3", "dev_ada", 3)));
    store.deleteDeveloper("dev_ada", T0, null);
    store.putConfigChange(new ConfigChange(Kind.API, "users", "{}", ConfigChange.ABSENT, T0), null);

    ChangeLog.Batch batch = store.changesAfter(start, 100);

    assertThat(batch.changes())
        .extracting(c -> c.subject() + " " + c.id())
        .containsExactly(
            "DEVELOPER dev_ada",
            "KEY key_1",
            "KEY key_1",
            "KEY key_2",
            "KEY key_3",
            "KEY key_1",
            "KEY key_2",
            "KEY key_3",
            "DEVELOPER dev_ada",
            "API users");
    assertThat(batch.changes())
        .extracting(ChangeLog.Change::sequence)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(n -> start + n).toList());
    // the state now: revoked with its developer, who is gone
    assertThat(batch.keys())
        .hasEntrySatisfying(
            "key_1",
            k -> {
              assertThat(k.status()).isEqualTo(KeyStatus.REVOKED);
              assertThat(k.name()).isEqualTo("renamed");
            });
    assertThat(batch.developers()).doesNotContainKey("dev_ada");
    assertThat(store.latestSequence()).isEqualTo(start + 10);
    assertThat(store.changesAfter(start + 8, 1).changes())
        .extracting(ChangeLog.Change::id)
        .containsExactly("dev_ada");
    assertThat(store.loadSnapshot(d -> {}, k -> {})).isEqualTo(start + 10);
  }

  /**
   * Pruning deletes old changes, oldest first and in bounded chunks, never above what the live
   * nodes applied and never the latest: a reader that fell behind finds a gap after its sequence.
   */
  @Test
  void pruningDeletesOldChangesUpToTheLowestAppliedAndKeepsTheLatest() {
    long start = store.latestSequence();
    store.insertDeveloper(developer("dev_ada"), null);
    for (int i = 1; i <= 4; i++) {
      store.insertKey(key("key_" + i, "dev_ada", i), null);
    }
    Instant later = Instant.now().plusSeconds(3600);

    assertThat(store.deleteChangesBefore(Instant.now().minusSeconds(3600), start + 5, 100))
        .as("nothing is old enough")
        .isZero();
    assertThat(store.deleteChangesBefore(later, start + 3, 2)).isEqualTo(2);
    assertThat(store.deleteChangesBefore(later, start + 3, 2)).isEqualTo(1);
    assertThat(store.deleteChangesBefore(later, start + 3, 2)).isZero();
    assertThat(store.changesAfter(start, 10).changes())
        .extracting(ChangeLog.Change::sequence)
        .containsExactly(start + 4, start + 5);

    assertThat(store.deleteChangesBefore(later, Long.MAX_VALUE, 100)).isEqualTo(1);
    assertThat(store.changesAfter(start, 10).changes())
        .extracting(ChangeLog.Change::sequence)
        .containsExactly(start + 5);
    assertThat(store.latestSequence()).isEqualTo(start + 5);
  }

  @Test
  void aWriteThatFailsRecordsNoChange() {
    store.insertDeveloper(developer("dev_ada"), null);
    long before = store.latestSequence();

    assertThatThrownBy(() -> store.insertKey(key("key_1", "dev_nobody", 1), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.revokeKey("key_none", null)).isEmpty();

    assertThat(store.latestSequence()).isEqualTo(before);
    assertThat(store.changesAfter(before, 10).changes()).isEmpty();
  }

  /**
   * Sequences are handed out in commit order: a reader following the feed while many writers commit
   * at once always finds the next sequence after the last it read, never a later one first (which
   * would make it skip a change committed after).
   */
  @Test
  void aReaderFollowingConcurrentWritersNeverSkipsAChange() throws Exception {
    store.insertDeveloper(developer("dev_ada"), null);
    long start = store.latestSequence();
    int writers = 4;
    int perWriter = 50;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perWriter; i++) {
                    int n = 1000 + writer * perWriter + i;
                    store.insertKey(key("key_" + n, "dev_ada", n), null);
                  }
                }));
      }
      long read = start;
      long end = start + (long) writers * perWriter;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (read < end && System.nanoTime() < deadline) {
        for (ChangeLog.Change change : store.changesAfter(read, 7).changes()) {
          assertThat(change.sequence()).isEqualTo(read + 1);
          read = change.sequence();
        }
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(read).isEqualTo(end);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysAreFilteredByDeveloperAndStatusAndPagedById() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertDeveloper(developer("dev_bob"), null);
    for (int i = 1; i <= 5; i++) {
      KeyStatus status = i <= 2 ? KeyStatus.REVOKED : KeyStatus.ACTIVE;
      store.insertKey(key("key_a" + i, "dev_ada", i).withStatus(status), null);
    }
    for (int i = 1; i <= 3; i++) {
      store.insertKey(key("key_b" + i, "dev_bob", 10 + i), null);
    }

    assertThat(allPages(new KeyFilter("dev_ada", null), 2))
        .containsExactly("key_a1", "key_a2", "key_a3", "key_a4", "key_a5");
    assertThat(allPages(new KeyFilter(null, KeyStatus.REVOKED), 2))
        .containsExactly("key_a1", "key_a2");
    assertThat(allPages(new KeyFilter("dev_ada", KeyStatus.ACTIVE), 1))
        .containsExactly("key_a3", "key_a4", "key_a5");
    assertThat(allPages(new KeyFilter("dev_bob", KeyStatus.REVOKED), 2)).isEmpty();
    assertThat(allPages(KeyFilter.ALL, 3)).hasSize(8).isSorted();
  }

  private List<String> allPages(KeyFilter filter, int limit) {
    List<String> ids = new ArrayList<>();
    @Nullable String cursor = null;
    do {
      Page<ApiKeyRecord> page = store.keys(filter, limit, cursor);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      page.items().forEach(k -> ids.add(k.id()));
      cursor = page.nextCursor();
    } while (cursor != null);
    return ids;
  }

  @Test
  void bulkInsertSkipsDuplicatesAndReportsEachRow() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertKey(key("key_existing", "dev_ada", 1), null);

    boolean[] inserted =
        store.insertKeys(
            List.of(
                key("key_n1", "dev_ada", 2),
                key("key_dup_of_existing", "dev_ada", 1),
                key("key_n2", "dev_ada", 3),
                key("key_dup_in_list", "dev_ada", 2),
                key("key_n3", "dev_ada", 4)));

    assertThat(inserted).containsExactly(true, false, true, false, true);
    assertThat(store.keyByHash(hash(2)))
        .hasValueSatisfying(k -> assertThat(k.id()).isEqualTo("key_n1"));
    assertThat(store.key("key_dup_in_list")).isEmpty();
  }

  @Test
  void bulkInsertAcrossBatchesFindsDuplicatesInEarlierBatchesAndTheTable() {
    store.insertDeveloper(developer("dev_ada"), null);
    int n = KeyBulkInsert.BATCH * 2 + 500;
    store.insertKeys(List.of(key("key_pre", "dev_ada", n - 1)));
    // every 7th key repeats the hash of the key 1100 rows earlier, in an earlier batch
    List<ApiKeyRecord> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int h = i % 7 == 0 && i >= 1100 ? i - 1100 : i;
      keys.add(key(String.format("key_%06d", i), "dev_ada", h));
    }

    boolean[] inserted = store.insertKeys(keys);

    for (int i = 0; i < n; i++) {
      boolean expected = !(i % 7 == 0 && i >= 1100) && i != n - 1;
      assertThat(inserted[i]).as("row %d", i).isEqualTo(expected);
    }
    assertThat(store.insertKeys(keys)).doesNotContain(true);
    assertThat(store.insertKeys(List.of())).isEmpty();
  }

  @Test
  void loadAllStreamsLiveDevelopersAndEveryKey() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertDeveloper(developer("dev_gone"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);
    store.insertKey(key("key_2", "dev_gone", 2), null);
    store.deleteDeveloper("dev_gone", T0, null);
    List<Developer> developers = new ArrayList<>();
    List<ApiKeyRecord> keys = new ArrayList<>();

    store.loadSnapshot(developers::add, keys::add);

    assertThat(store.keyCountHint()).isEqualTo(keys.size()).isEqualTo(2);
    assertThat(developers).extracting(Developer::id).containsExactly("dev_ada");
    // the revoked key of a deleted developer still loads: the index then answers "revoked"
    assertThat(keys)
        .extracting(ApiKeyRecord::id, ApiKeyRecord::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("key_1", KeyStatus.ACTIVE),
            org.assertj.core.groups.Tuple.tuple("key_2", KeyStatus.REVOKED));
  }

  @Test
  void bulkImportOf100kKeysLoadsBack() {
    store.insertDeveloper(developer("dev_bulk"), null);
    int n = 100_000;
    List<ApiKeyRecord> keys = new ArrayList<>(n);
    Random random = new Random(42);
    for (int i = 0; i < n; i++) {
      keys.add(key(String.format("key_%07d", i), "dev_bulk", randomHash(random)));
    }

    long started = System.nanoTime();
    boolean[] inserted = store.insertKeys(keys);
    long insertMs = (System.nanoTime() - started) / 1_000_000;
    started = System.nanoTime();
    List<ApiKeyRecord> loaded = new ArrayList<>(n);
    store.loadSnapshot(d -> {}, loaded::add);
    long loadMs = (System.nanoTime() - started) / 1_000_000;

    System.out.printf(
        "[xecure-store] %s: inserted %,d keys in %,d ms (%,d keys/s); loaded them in %,d ms%n",
        backend(), n, insertMs, n * 1000L / Math.max(1, insertMs), loadMs);
    assertThat(inserted).doesNotContain(false);
    assertThat(loaded).hasSize(n);
    assertThat(loaded.stream().map(StoreContract::indexed))
        .contains(indexed(keys.get(0)), indexed(keys.get(n / 2)), indexed(keys.get(n - 1)));
  }

  @Test
  void loadAllGivesTheIndexEveryFieldItReads() {
    store.insertDeveloper(developer("dev_ada"), null);
    ApiKeyRecord plain = key("key_plain", "dev_ada", 1);
    ApiKeyRecord rich =
        ApiKeyRecordBuilder.key("key_rich", "dev_ada")
            .secret("abcd1234", hash(2))
            .createdAt(T0)
            .expiresAt(T0.plusSeconds(86_400))
            .apis("users", "orders")
            .scopes(List.of("users:read", "orders:write"))
            .allowedCidrs(List.of("10.0.0.0/8", "192.168.1.1/32"))
            .plan("gold")
            .replaces("key_plain", "key_first")
            .graceUntil(T0.plusSeconds(3600))
            .status(KeyStatus.EXPIRED)
            .build();
    store.insertKey(plain, null);
    store.insertKey(rich, null);
    List<ApiKeyRecord> loaded = new ArrayList<>();

    store.loadSnapshot(d -> {}, loaded::add);

    assertThat(loaded.stream().map(StoreContract::indexed))
        .containsExactlyInAnyOrder(indexed(plain), indexed(rich));
    // the connection went back to the pool as it was: later reads work and see every column
    assertThat(store.key("key_rich")).contains(rich);
  }

  /** What {@code KeyIndex} reads of a key: what a snapshot must carry (ChangeLog#loadSnapshot). */
  private static List<Object> indexed(ApiKeyRecord k) {
    return java.util.Arrays.asList(
        k.id(),
        k.developerId(),
        k.hash(),
        k.status(),
        k.expiresAt(),
        k.apis(),
        k.scopes(),
        k.allowedCidrs(),
        k.plan(),
        k.identityId(),
        k.graceUntil());
  }

  // ---- runtime config

  @Test
  void runtimeConfigChangesAreReplacedByKindAndNameAndComeBackOldestFirst() {
    ConfigChange api = new ConfigChange(Kind.API, "users", "{\"path\":\"/u\"}", "abc", T0);
    ConfigChange plan = new ConfigChange(Kind.PLAN, "users", "{}", ConfigChange.ABSENT, T0);
    ConfigChange deleted = new ConfigChange(Kind.API, "users", null, "abc", T0.plusSeconds(2));
    ConfigChange other = new ConfigChange(Kind.API, "orders", "{}", "def", T0.plusSeconds(1));
    store.putConfigChange(api, null);
    store.putConfigChange(plan, null);
    store.putConfigChange(other, null);
    store.putConfigChange(deleted, null);

    assertThat(store.configChanges()).containsExactly(plan, other, deleted);
    store.deleteConfigChange(Kind.API, "users", null);
    store.deleteConfigChange(Kind.API, "missing", null);
    assertThat(store.configChanges()).containsExactly(plan, other);
  }

  // ---- events

  @Test
  void adminEventsComeBackNewestFirst() {
    AdminEvent a = new AdminEvent(T0, "admin", "developer.created", "dev_ada", "{}");
    AdminEvent b = new AdminEvent(T0.plusSeconds(1), "admin", "key.created", "key_1", "name=ci");
    AdminEvent c = new AdminEvent(T0.plusSeconds(1), "cli", "key.revoked", "key_1", "");
    store.appendAdminEvent(a);
    store.appendAdminEvent(b);
    store.appendAdminEvent(c);

    assertThat(store.adminEvents(10)).containsExactly(c, b, a);
    assertThat(store.adminEvents(2)).containsExactly(c, b);
  }

  // ---- usage

  static final Instant M0 = Instant.parse("2026-03-04T10:00:00Z");

  static UsageCounts counts(long granted, Map<String, Long> denied, long latencyMax) {
    long d = denied.values().stream().mapToLong(Long::longValue).sum();
    return new UsageCounts(granted, d, denied, granted, 0, d, 0, 1000 * (granted + d), latencyMax);
  }

  /** A developer or API row; key rows name their developer (see {@link #keyRow}). */
  static UsageRow row(UsageDimension dim, String id, String api, Instant minute, UsageCounts c) {
    return new UsageRow(dim, id, api, dim == UsageDimension.API ? null : id, minute, c);
  }

  static UsageRow keyRow(String id, String developer, String api, Instant minute, UsageCounts c) {
    return new UsageRow(UsageDimension.KEY, id, api, developer, minute, c);
  }

  static UsageQuery query(
      UsageDimension groupBy, UsageInterval interval, Instant from, Instant to) {
    return new UsageQuery(groupBy, interval, from, to, null, null, null, 100);
  }

  @Test
  void usageOfTheSameMinuteAddsUpAndKeepsTheLatencyMaximum() {
    UsageRow first =
        row(UsageDimension.API, "users", "users", M0, counts(3, Map.of("key_invalid", 1L), 900));
    UsageRow second =
        row(
            UsageDimension.API,
            "users",
            "users",
            M0,
            counts(2, Map.of("key_invalid", 2L, "rate_limited", 1L, "brand_new_code", 4L), 400));
    store.addUsage(List.of(first));
    store.addUsage(List.of(second));
    store.addUsage(List.of());

    UsageSeries.Result result =
        store.usage(query(UsageDimension.API, UsageInterval.MINUTE, M0, M0.plusSeconds(60)));

    assertThat(result.more()).isFalse();
    assertThat(result.series()).hasSize(1);
    UsageSeries users = result.series().get(0);
    assertThat(users.id()).isEqualTo("users");
    assertThat(users.points()).hasSize(1);
    UsageCounts c = users.points().get(0).counts();
    assertThat(c.granted()).isEqualTo(5);
    assertThat(c.denied()).isEqualTo(8);
    assertThat(c.deniedByCode())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("key_invalid", 3L, "rate_limited", 1L, UsageAggregator.OTHER, 4L));
    assertThat(c.status2xx()).isEqualTo(5);
    assertThat(c.status4xx()).isEqualTo(8);
    assertThat(c.latencySumMicros()).isEqualTo(13_000);
    assertThat(c.latencyMaxMicros()).isEqualTo(900);
    assertThat(users.total()).isEqualTo(c);
  }

  @Test
  void rowsRepeatedInOneBatchAddUpToo() {
    UsageRow one = row(UsageDimension.API, "users", "users", M0, counts(1, Map.of(), 10));
    store.addUsage(List.of(one, one, one));

    UsageSeries.Result result =
        store.usage(query(UsageDimension.API, UsageInterval.MINUTE, M0, M0.plusSeconds(60)));

    assertThat(result.series().get(0).total().granted()).isEqualTo(3);
  }

  @Test
  void concurrentWritersOfTheSameNewRowsAddUp() throws Exception {
    // like several nodes flushing the same minute: some inserts lose the race and must update
    List<UsageRow> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(keyRow("key_" + i, "dev_1", "users", M0, counts(1, Map.of(), i)));
    }
    int writers = 6;
    int rounds = 5;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        done.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    store.addUsage(rows);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    UsageSeries.Result result =
        store.usage(query(UsageDimension.KEY, UsageInterval.HOUR, M0, M0.plusSeconds(3600)));
    assertThat(result.series()).hasSize(20);
    assertThat(result.series())
        .allSatisfy(s -> assertThat(s.total().granted()).isEqualTo(writers * rounds));
  }

  @Test
  void minutesRollUpToHoursAndUtcDays() {
    Instant day = Instant.parse("2026-03-04T00:00:00Z");
    store.addUsage(
        List.of(
            row(UsageDimension.API, "users", "users", day.plusSeconds(60), counts(1, Map.of(), 5)),
            row(
                UsageDimension.API,
                "users",
                "users",
                day.plusSeconds(59 * 60),
                counts(2, Map.of(), 9)),
            row(
                UsageDimension.API,
                "users",
                "users",
                day.plusSeconds(3600),
                counts(4, Map.of(), 1)),
            row(
                UsageDimension.API,
                "users",
                "users",
                day.plusSeconds(86_400 + 60),
                counts(8, Map.of(), 2)),
            // the day before the range
            row(
                UsageDimension.API,
                "users",
                "users",
                day.minusSeconds(60),
                counts(16, Map.of(), 1))));

    UsageSeries hours =
        store
            .usage(query(UsageDimension.API, UsageInterval.HOUR, day, day.plusSeconds(2 * 86_400)))
            .series()
            .get(0);
    UsageSeries days =
        store
            .usage(query(UsageDimension.API, UsageInterval.DAY, day, day.plusSeconds(2 * 86_400)))
            .series()
            .get(0);

    assertThat(hours.points())
        .extracting(p -> p.t().toString() + "=" + p.counts().granted())
        .containsExactly(
            "2026-03-04T00:00:00Z=3", "2026-03-04T01:00:00Z=4", "2026-03-05T00:00:00Z=8");
    assertThat(hours.points().get(0).counts().latencyMaxMicros()).isEqualTo(9);
    assertThat(days.points())
        .extracting(p -> p.t().toString() + "=" + p.counts().granted())
        .containsExactly("2026-03-04T00:00:00Z=7", "2026-03-05T00:00:00Z=8");
    assertThat(days.total().granted()).isEqualTo(15);
  }

  @Test
  void seriesAreGroupedFilteredAndRankedByRequests() {
    store.addUsage(
        List.of(
            keyRow("key_1", "dev_1", "users", M0, counts(5, Map.of(), 1)),
            keyRow("key_1", "dev_1", "analytics", M0, counts(1, Map.of(), 1)),
            keyRow("key_2", "dev_1", "users", M0, counts(2, Map.of(), 1)),
            keyRow("key_3", "dev_3", "analytics", M0, counts(9, Map.of(), 1)),
            row(UsageDimension.DEVELOPER, "dev_1", "users", M0, counts(7, Map.of(), 1)),
            row(UsageDimension.DEVELOPER, "dev_1", "analytics", M0, counts(1, Map.of(), 1)),
            row(UsageDimension.DEVELOPER, "dev_3", "analytics", M0, counts(9, Map.of(), 1)),
            row(UsageDimension.API, "users", "users", M0, counts(7, Map.of("key_missing", 3L), 1)),
            row(UsageDimension.API, "analytics", "analytics", M0, counts(10, Map.of(), 1))));
    Instant to = M0.plusSeconds(60);

    assertThat(ids(store.usage(query(UsageDimension.KEY, UsageInterval.MINUTE, M0, to))))
        .containsExactly("key_3=9", "key_1=6", "key_2=2");
    assertThat(ids(store.usage(query(UsageDimension.DEVELOPER, UsageInterval.MINUTE, M0, to))))
        .containsExactly("dev_3=9", "dev_1=8");
    assertThat(ids(store.usage(query(UsageDimension.API, UsageInterval.MINUTE, M0, to))))
        .containsExactly("analytics=10", "users=10");
    // a developer's usage per API, from the developer rows
    assertThat(
            ids(
                store.usage(
                    new UsageQuery(
                        UsageDimension.API,
                        UsageInterval.MINUTE,
                        M0,
                        to,
                        null,
                        "dev_1",
                        null,
                        10))))
        .containsExactly("users=7", "analytics=1");
    // a developer's keys on one API, from the key rows
    assertThat(
            ids(
                store.usage(
                    new UsageQuery(
                        UsageDimension.KEY,
                        UsageInterval.MINUTE,
                        M0,
                        to,
                        null,
                        "dev_1",
                        "users",
                        10))))
        .containsExactly("key_1=5", "key_2=2");
    // one key per API
    assertThat(
            ids(
                store.usage(
                    new UsageQuery(
                        UsageDimension.API,
                        UsageInterval.MINUTE,
                        M0,
                        to,
                        "key_1",
                        null,
                        null,
                        10))))
        .containsExactly("users=5", "analytics=1");
    // the limit keeps the busiest and says there is more
    UsageSeries.Result top =
        store.usage(
            new UsageQuery(UsageDimension.KEY, UsageInterval.MINUTE, M0, to, null, null, null, 2));
    assertThat(ids(top)).containsExactly("key_3=9", "key_1=6");
    assertThat(top.more()).isTrue();
    // outside the range there is nothing
    assertThat(store.usage(query(UsageDimension.KEY, UsageInterval.MINUTE, to, to.plusSeconds(60))))
        .isEqualTo(new UsageSeries.Result(List.of(), false));
  }

  /**
   * Three days of minutes of three dimensions, written in several flushes: every query the admin
   * API can ask (each grouping and filter, ranges on day, hour and minute boundaries, and one that
   * is on none) gets the answer the minute rows give, computed here from the rows themselves,
   * whichever table (minutes, hours, days) the store reads.
   */
  @Test
  void hourAndDayRollUpsAnswerLikeTheMinutes() {
    Instant day0 = Instant.parse("2026-03-04T00:00:00Z");
    Random random = new Random(42);
    String[] apis = {"billing", "orders", "users"};
    List<UsageRow> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      Instant minute = day0.plusSeconds(60L * random.nextInt(3 * 1440));
      int k = random.nextInt(6);
      String key = "key_" + k;
      String developer = k < 4 ? "dev_a" : "dev_b";
      String api = apis[k % apis.length];
      Map<String, Long> denied =
          random.nextInt(4) == 0
              ? Map.of(
                  random.nextBoolean() ? "rate_limited" : "key_invalid", 1L + random.nextInt(3))
              : Map.of();
      UsageCounts c = counts(random.nextInt(20), denied, random.nextInt(100_000));
      rows.add(keyRow(key, developer, api, minute, c));
      rows.add(row(UsageDimension.DEVELOPER, developer, api, minute, c));
      rows.add(row(UsageDimension.API, api, api, minute, c));
    }
    for (int from = 0; from < rows.size(); from += 250) {
      store.addUsage(rows.subList(from, Math.min(rows.size(), from + 250)));
    }

    List<UsageQuery> questions = new ArrayList<>();
    Instant[][] ranges = {
      {day0, day0.plusSeconds(3 * 86_400)}, // whole days
      {day0.plusSeconds(5 * 3600), day0.plusSeconds(2 * 86_400 + 7 * 3600)}, // hours around a day
      {day0.plusSeconds(86_400 - 600), day0.plusSeconds(2 * 86_400 + 600)}, // minutes around it
      {day0.plusSeconds(10 * 3600 + 17 * 60), day0.plusSeconds(14 * 3600 + 43 * 60)}, // neither
    };
    for (Instant[] range : ranges) {
      for (UsageInterval interval : UsageInterval.values()) {
        for (UsageDimension groupBy : UsageDimension.values()) {
          questions.add(
              new UsageQuery(groupBy, interval, range[0], range[1], null, null, null, 100));
          questions.add(new UsageQuery(groupBy, interval, range[0], range[1], null, null, null, 2));
          questions.add(
              new UsageQuery(groupBy, interval, range[0], range[1], null, "dev_a", null, 100));
          questions.add(
              new UsageQuery(groupBy, interval, range[0], range[1], null, null, "users", 100));
          questions.add(
              new UsageQuery(groupBy, interval, range[0], range[1], "key_1", null, null, 100));
        }
      }
    }
    for (UsageQuery q : questions) {
      assertThat(store.usage(q)).as(q.toString()).isEqualTo(minuteAnswer(rows, q));
    }
  }

  /** What the minute rows answer to {@code q}: the usage API's answers before the roll-ups. */
  private static UsageSeries.Result minuteAnswer(List<UsageRow> rows, UsageQuery q) {
    UsageDimension source = q.source();
    Map<String, Map<Instant, UsageCounts>> byId = new java.util.TreeMap<>();
    for (UsageRow r : rows) {
      String developer = r.developerId();
      boolean matches =
          r.dimension() == source
              && !r.minute().isBefore(q.from())
              && r.minute().isBefore(q.to())
              && (q.key() == null || q.key().equals(r.id()))
              && (q.developer() == null || q.developer().equals(developer))
              && (q.api() == null || q.api().equals(r.api()))
              && (q.groupBy() != UsageDimension.DEVELOPER || developer != null);
      if (matches) {
        String id =
            switch (q.groupBy()) {
              case KEY -> r.id();
              case DEVELOPER -> java.util.Objects.requireNonNull(developer);
              case API -> r.api();
            };
        byId.computeIfAbsent(id, x -> new java.util.TreeMap<>())
            .merge(q.interval().floor(r.minute()), r.counts(), UsageCounts::plus);
      }
    }
    List<UsageSeries> series = new ArrayList<>();
    byId.forEach(
        (id, points) -> {
          List<UsageSeries.Point> list = new ArrayList<>();
          UsageCounts total = UsageCounts.ZERO;
          for (Map.Entry<Instant, UsageCounts> p : points.entrySet()) {
            list.add(new UsageSeries.Point(p.getKey(), p.getValue()));
            total = total.plus(p.getValue());
          }
          series.add(new UsageSeries(id, total, list));
        });
    series.sort(
        java.util.Comparator.comparingLong((UsageSeries s) -> s.total().requests())
            .reversed()
            .thenComparing(UsageSeries::id));
    boolean more = series.size() > q.limit();
    return new UsageSeries.Result(List.copyOf(more ? series.subList(0, q.limit()) : series), more);
  }

  /** The hour and the day tables are kept apart from the minutes: each has its own retention. */
  @Test
  void eachGrainOfUsageIsDeletedOnItsOwn() {
    Instant day = Instant.parse("2026-03-04T00:00:00Z");
    List<UsageRow> rows = new ArrayList<>();
    for (int h = 0; h < 48; h++) {
      rows.add(
          row(
              UsageDimension.API,
              "users",
              "users",
              day.plusSeconds(3600L * h + 120),
              counts(1, Map.of(), 1)));
    }
    store.addUsage(rows);
    Instant end = day.plusSeconds(2 * 86_400);

    while (store.deleteUsageBefore(UsageInterval.MINUTE, end, 5) > 0) {
      // chunks of about 5
    }
    assertThat(store.usage(query(UsageDimension.API, UsageInterval.MINUTE, day, end)).series())
        .isEmpty();
    assertThat(store.usage(query(UsageDimension.API, UsageInterval.HOUR, day, end)).series().get(0))
        .satisfies(s -> assertThat(s.points()).hasSize(48));

    int hours = 0;
    int n;
    while ((n = store.deleteUsageBefore(UsageInterval.HOUR, day.plusSeconds(86_400), 5)) > 0) {
      hours += n;
    }
    assertThat(hours).isEqualTo(24);
    assertThat(store.usage(query(UsageDimension.API, UsageInterval.HOUR, day, end)).series().get(0))
        .satisfies(s -> assertThat(s.total().granted()).isEqualTo(24));
    assertThat(store.usage(query(UsageDimension.API, UsageInterval.DAY, day, end)).series().get(0))
        .satisfies(s -> assertThat(s.total().granted()).isEqualTo(48));

    assertThat(store.deleteUsageBefore(UsageInterval.DAY, day.plusSeconds(86_400), 5)).isEqualTo(1);
    assertThat(store.usage(query(UsageDimension.API, UsageInterval.DAY, day, end)).series().get(0))
        .satisfies(s -> assertThat(s.points()).hasSize(1));
  }

  private static List<String> ids(UsageSeries.Result result) {
    return result.series().stream().map(s -> s.id() + "=" + s.total().requests()).toList();
  }

  @Test
  void keyUsesOnlyMoveForwardAndAdminChangesLeaveThem() {
    store.insertDeveloper(developer("dev_ada"), null);
    store.insertKey(key("key_1", "dev_ada", 1), null);
    store.insertKey(key("key_2", "dev_ada", 2), null);

    store.recordKeyUses(
        List.of(
            new KeyUse("key_1", T0.plusSeconds(10), "198.51.100.1"),
            new KeyUse("key_none", T0, "198.51.100.9")));
    // another node's older use does not move it back
    store.recordKeyUses(List.of(new KeyUse("key_1", T0.plusSeconds(5), "198.51.100.2")));
    store.recordKeyUses(List.of());
    // an admin change from a record read before the use
    store.revokeKey("key_1", null);

    assertThat(store.key("key_1"))
        .hasValueSatisfying(
            k -> {
              assertThat(k.lastUsedAt()).isEqualTo(T0.plusSeconds(10));
              assertThat(k.lastUsedIp()).isEqualTo("198.51.100.1");
              assertThat(k.status()).isEqualTo(KeyStatus.REVOKED);
            });
    store.recordKeyUses(List.of(new KeyUse("key_1", T0.plusSeconds(20), "2001:db8::1")));
    assertThat(store.key("key_1"))
        .hasValueSatisfying(k -> assertThat(k.lastUsedIp()).isEqualTo("2001:db8::1"));
    assertThat(store.key("key_2")).hasValueSatisfying(k -> assertThat(k.lastUsedAt()).isNull());
  }

  @Test
  void oldUsageIsDeletedInChunksOfEachDimension() {
    List<UsageRow> rows = new ArrayList<>();
    for (int m = 0; m < 5; m++) {
      Instant minute = M0.plusSeconds(60L * m);
      rows.add(row(UsageDimension.API, "users", "users", minute, counts(1, Map.of(), 1)));
      rows.add(keyRow("key_1", "dev_1", "users", minute, counts(1, Map.of(), 1)));
      rows.add(keyRow("key_2", "dev_1", "users", minute, counts(1, Map.of(), 1)));
    }
    store.addUsage(rows);
    Instant cutoff = M0.plusSeconds(3 * 60 + 30); // minutes 0..2 are older; 3 is not complete

    int total = 0;
    int n;
    while ((n = store.deleteUsageBefore(UsageInterval.MINUTE, cutoff, 2)) > 0) {
      total += n;
    }

    assertThat(total).isEqualTo(9);
    UsageSeries.Result left =
        store.usage(query(UsageDimension.KEY, UsageInterval.MINUTE, M0, M0.plusSeconds(3600)));
    assertThat(left.series())
        .allSatisfy(
            s ->
                assertThat(s.points())
                    .extracting(p -> p.t())
                    .containsExactly(M0.plusSeconds(180), M0.plusSeconds(240)));
  }

  @Test
  void adminEventsAreFilteredAndPagedNewestFirst() {
    for (int i = 0; i < 5; i++) {
      store.appendAdminEvent(
          new AdminEvent(T0.plusSeconds(i / 2), "admin", "key.created", "key_" + i, ""));
    }
    store.appendAdminEvent(new AdminEvent(T0.plusSeconds(3), "cli", "key.revoked", "key_1", ""));

    List<StoredEvent<AdminEvent>> first = store.adminEvents(EventFilter.ALL, null, 4);
    List<StoredEvent<AdminEvent>> rest =
        store.adminEvents(EventFilter.ALL, first.get(3).position(), 4);
    assertThat(first)
        .extracting(e -> e.event().target())
        .containsExactly("key_1", "key_4", "key_3", "key_2");
    assertThat(rest).extracting(e -> e.event().target()).containsExactly("key_1", "key_0");
    EventFilter revoked =
        new EventFilter(null, null, null, null, null, "cli", "key.revoked", "key_1", null, null);
    assertThat(store.adminEvents(revoked, null, 10)).hasSize(1);
    EventFilter early =
        new EventFilter(null, null, null, null, null, null, null, null, null, T0.plusSeconds(1));
    assertThat(store.adminEvents(early, null, 10))
        .extracting(e -> e.event().target())
        .containsExactly("key_1", "key_0");
  }

  // ---- failure

  @Test
  void aClosedStoreIsUnavailable() {
    store.close();

    assertThatThrownBy(() -> store.developer("dev_ada"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("store unavailable");
    assertThatThrownBy(() -> store.insertKey(key("key_1", "dev_ada", 1), null))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.insertKeys(List.of(key("key_1", "dev_ada", 1))))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.loadSnapshot(d -> {}, k -> {}))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.appendRequestEvents(List.of(sampleEvent())))
        .isInstanceOf(StoreUnavailableException.class);
  }

  // ---- fixtures

  static Developer developer(String id) {
    return new Developer(id, "Dev " + id, id + "@example.com", DeveloperStatus.ACTIVE, T0);
  }

  static ApiKeyRecord key(String id, String developerId, int hashSeed) {
    return key(id, developerId, hash(hashSeed));
  }

  static ApiKeyRecord key(String id, String developerId, KeyHash hash) {
    return ApiKeyRecordBuilder.key(id, developerId)
        .name("key " + id)
        .secret("abcd1234", hash)
        .createdAt(T0)
        .apis("users")
        .scopes(List.of("users:read"))
        .build();
  }

  static KeyHash hash(int seed) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return KeyHash.of(sha.digest(("key-" + seed).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static KeyHash randomHash(Random random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return KeyHash.of(bytes);
  }

  private static RequestEvent sampleEvent() {
    return RequestEventBuilder.event(T0)
        .requestId("req-1")
        .node("n")
        .api(null)
        .path("/")
        .denied(404, "route_not_found", null)
        .latencies(1, 0)
        .build();
  }
}
