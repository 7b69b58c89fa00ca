package io.xecure.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xecure.model.Alert;
import io.xecure.model.AlertType;
import io.xecure.store.AlertStore.Acknowledged;
import io.xecure.store.AlertStore.Raised;
import io.xecure.store.Page;
import io.xecure.store.StoreUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link io.xecure.store.AlertStore} contract, run unchanged on every backend: one open alert
 * per type and subject, acknowledgement, and newest-first pages.
 */
abstract class AlertStoreContract {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");

  @SuppressWarnings("NullAway.Init") // set before each test
  JdbcStore store;

  abstract JdbcStore openStore();

  @BeforeEach
  void openFreshStore() {
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void firstRaiseOpensAnAlertThatRoundTrips() {
    Raised raised =
        store.raiseAlert("alr_1", AlertType.BRUTE_FORCE, "203.0.113.9", "20 invalid keys", T0);

    Alert expected =
        new Alert(
            "alr_1",
            AlertType.BRUTE_FORCE,
            "203.0.113.9",
            "20 invalid keys",
            T0,
            T0,
            1,
            Alert.Status.OPEN,
            null,
            null);
    assertThat(raised).isEqualTo(new Raised(expected, true));
    assertThat(store.alert("alr_1")).contains(expected);
    assertThat(store.alert("alr_none")).isEmpty();
  }

  @Test
  void raisesWhileOpenCountIntoTheSameAlert() {
    store.raiseAlert("alr_1", AlertType.KEY_SHARED, "key_a", "21 networks", T0);
    Raised again =
        store.raiseAlert("alr_2", AlertType.KEY_SHARED, "key_a", "30 networks", T0.plusSeconds(60));

    assertThat(again.opened()).isFalse();
    assertThat(again.alert().id()).isEqualTo("alr_1");
    assertThat(again.alert().count()).isEqualTo(2);
    assertThat(again.alert().firstSeen()).isEqualTo(T0);
    assertThat(again.alert().lastSeen()).isEqualTo(T0.plusSeconds(60));
    assertThat(again.alert().detail()).isEqualTo("30 networks");
    assertThat(store.alert("alr_2")).isEmpty();
    // another subject, or another type on the same subject, is another alert
    assertThat(store.raiseAlert("alr_3", AlertType.KEY_SHARED, "key_b", "d", T0).opened()).isTrue();
    assertThat(store.raiseAlert("alr_4", AlertType.USAGE_SPIKE, "key_a", "d", T0).opened())
        .isTrue();
  }

  @Test
  void acknowledgingClosesTheAlertAndTheNextRaiseOpensANewOne() {
    store.raiseAlert("alr_1", AlertType.QUOTA_NEAR, "key_a", "80%", T0);

    Acknowledged acked = store.acknowledgeAlert("alr_1", "admin", T0.plusSeconds(5)).orElseThrow();

    assertThat(acked.changed()).isTrue();
    assertThat(acked.alert().status()).isEqualTo(Alert.Status.ACKNOWLEDGED);
    assertThat(acked.alert().ackedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(acked.alert().ackedBy()).isEqualTo("admin");
    Acknowledged twice = store.acknowledgeAlert("alr_1", "other", T0.plusSeconds(9)).orElseThrow();
    assertThat(twice.changed()).isFalse();
    assertThat(twice.alert()).isEqualTo(acked.alert());
    assertThat(store.acknowledgeAlert("alr_none", "admin", T0)).isEmpty();

    Raised next =
        store.raiseAlert("alr_2", AlertType.QUOTA_NEAR, "key_a", "80%", T0.plusSeconds(10));
    assertThat(next.opened()).isTrue();
    assertThat(next.alert().count()).isEqualTo(1);
    assertThat(store.alert("alr_1").orElseThrow().count()).isEqualTo(1);
  }

  @Test
  void listsNewestFirstFilteredAndPaged() {
    for (int i = 1; i <= 5; i++) {
      AlertType type = i % 2 == 0 ? AlertType.USAGE_SPIKE : AlertType.KEY_LEAKED;
      store.raiseAlert("alr_" + i, type, "key_" + i, "d", T0.plusSeconds(i));
    }
    store.acknowledgeAlert("alr_3", "admin", T0);

    assertThat(ids(null, null, 2)).containsExactly("alr_5", "alr_4", "alr_3", "alr_2", "alr_1");
    assertThat(ids(Alert.Status.OPEN, null, 1)).containsExactly("alr_5", "alr_4", "alr_2", "alr_1");
    assertThat(ids(Alert.Status.ACKNOWLEDGED, null, 10)).containsExactly("alr_3");
    assertThat(ids(null, AlertType.USAGE_SPIKE, 10)).containsExactly("alr_4", "alr_2");
    assertThat(ids(Alert.Status.OPEN, AlertType.KEY_LEAKED, 10)).containsExactly("alr_5", "alr_1");
    assertThat(ids(null, AlertType.BRUTE_FORCE, 10)).isEmpty();
    Page<Alert> first = store.alerts(null, null, 2, null);
    assertThat(first.nextCursor()).isEqualTo("alr_4");
    assertThat(store.alerts(null, null, 5, null).nextCursor()).isNull();
  }

  private List<String> ids(Alert.@Nullable Status status, @Nullable AlertType type, int limit) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      Page<Alert> page = store.alerts(status, type, limit, cursor);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      page.items().forEach(a -> ids.add(a.id()));
      cursor = page.nextCursor();
    } while (cursor != null);
    return ids;
  }

  @Test
  void concurrentRaisesOfOneAlertOpenItOnceAndCountEvery() throws Exception {
    // as nodes sharing the database would: each raise on its own connection, all at once
    int n = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      List<Future<Raised>> raises = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = "alr_" + i;
        raises.add(
            threads.submit(
                () -> {
                  await(start);
                  return store.raiseAlert(id, AlertType.BRUTE_FORCE, "198.51.100.1", "d", T0);
                }));
      }
      start.countDown();
      List<Raised> done = new ArrayList<>();
      for (Future<Raised> r : raises) {
        done.add(r.get(30, TimeUnit.SECONDS));
      }

      assertThat(done).filteredOn(Raised::opened).hasSize(1);
      Page<Alert> all = store.alerts(null, null, 100, null);
      assertThat(all.items()).hasSize(1);
      assertThat(all.items().get(0).count()).isEqualTo(n);
    } finally {
      threads.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aClosedStoreIsUnavailableForAlerts() {
    store.close();

    assertThatThrownBy(() -> store.raiseAlert("alr_1", AlertType.KEY_LEAKED, "key_a", "d", T0))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.alerts(null, null, 10, null))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
