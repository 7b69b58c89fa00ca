package io.xecure.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xecure.events.RequestEvent;
import io.xecure.testing.RequestEventBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link RequestEventStore} contract, run unchanged on every engine that keeps request events
 * (H2, PostgreSQL, DuckDB): each subclass only says how to open a fresh, empty one.
 */
public abstract class RequestEventStoreContract {
  protected static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");

  @SuppressWarnings("NullAway.Init") // set before each test
  protected RequestEventStore store;

  /** An engine on a fresh, empty database; closed after the test when it is closeable. */
  protected abstract RequestEventStore openEvents();

  @BeforeEach
  void openFresh() {
    store = openEvents();
  }

  @AfterEach
  void closeEvents() throws Exception {
    // null when openEvents() skipped the test (no PostgreSQL)
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Test
  void requestEventsComeBackNewestFirst() {
    RequestEvent granted =
        RequestEventBuilder.event(T0)
            .requestId("req-1")
            .node("node-a")
            .path("/users/1")
            .key("key_1", "dev_ada")
            .clientIp("198.51.100.7")
            .userAgent("curl/8")
            .latencies(1200, 900)
            .build();
    RequestEvent denied =
        RequestEventBuilder.event(T0.plusMillis(5))
            .requestId("req-2")
            .node("node-b")
            .api(null)
            .method("POST")
            .path("/nowhere?api_key=[redacted]")
            .denied(401, "key_invalid", "unknown")
            .clientIp("198.51.100.8")
            .latencies(40, 0)
            .build();
    store.appendRequestEvents(List.of(granted, denied));
    store.appendRequestEvents(List.of());

    assertThat(store.requestEvents(10)).containsExactly(denied, granted);
    assertThat(store.requestEvents(1)).containsExactly(denied);
  }

  @Test
  void manyRequestEventsLandInOneCall() {
    List<RequestEvent> events =
        IntStream.range(0, 2_500)
            .mapToObj(
                i ->
                    RequestEventBuilder.event(T0.plusMillis(i))
                        .requestId("req-" + i)
                        .node("n")
                        .key("key_1", "dev_ada")
                        .latencies(i, i)
                        .build())
            .toList();

    store.appendRequestEvents(events);

    assertThat(store.requestEvents(3))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-2499", "req-2498", "req-2497");
  }

  @Test
  void oldRequestEventsAreDeletedInChunksOldestFirst() {
    List<RequestEvent> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(eventAt(T0.plusSeconds(i), "req-" + i));
    }
    // three events share one time: a chunk never splits them
    events.add(eventAt(T0.plusSeconds(3), "req-3b"));
    events.add(eventAt(T0.plusSeconds(3), "req-3c"));
    store.appendRequestEvents(events);
    Instant cutoff = T0.plusSeconds(5); // req-0..4 (7 events) are older

    List<Integer> chunks = new ArrayList<>();
    int n;
    while ((n = store.deleteRequestEventsBefore(cutoff, 2)) > 0) {
      chunks.add(n);
    }

    assertThat(chunks.stream().mapToInt(Integer::intValue).sum()).isEqualTo(7);
    assertThat(chunks).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(3));
    assertThat(store.requestEvents(100))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-6", "req-5");
  }

  private static RequestEvent eventAt(Instant t, String requestId) {
    return RequestEventBuilder.event(t)
        .requestId(requestId)
        .node("n")
        .key("key_1", "dev_ada")
        .latencies(1, 1)
        .build();
  }

  @Test
  void aBatchIsStoredOnceHoweverOftenItArrives() {
    List<RequestEvent> batch =
        List.of(
            event("req-a", 0, "granted", null, "key_1"),
            event("req-b", 1, "granted", null, "key_1"));

    assertThat(store.appendRequestEvents("1764370980123-k3j9x2qa-000000001", batch)).isTrue();
    // the spool delivers it again after a crash between storing and deleting its file
    assertThat(store.appendRequestEvents("1764370980123-k3j9x2qa-000000001", batch)).isFalse();
    assertThat(
            store.appendRequestEvents(
                "1764370980123-k3j9x2qa-000000002",
                List.of(event("req-c", 2, "denied", "key_invalid", null))))
        .isTrue();

    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-c", "req-b", "req-a");
  }

  @Test
  void groupedBatchesAreListedOnceCommittedInTheOrderAppended() {
    assertThat(
            store.appendRequestEventsGrouped(
                "g-1", List.of(event("req-a", 5, "granted", null, "key_1"))))
        .isTrue();
    assertThat(
            store.appendRequestEventsGrouped(
                "g-2",
                List.of(
                    event("req-b", 5, "granted", null, "key_1"),
                    event("req-c", 5, "denied", "key_invalid", null))))
        .isTrue();
    // a batch delivered twice is stored once, grouped or not
    assertThat(
            store.appendRequestEventsGrouped(
                "g-2", List.of(event("req-b", 5, "granted", null, "key_1"))))
        .isFalse();

    int open = store.uncommittedRequestEvents();
    assertThat(store.commitRequestEvents()).isEqualTo(open);
    assertThat(store.uncommittedRequestEvents()).isZero();
    assertThat(store.commitRequestEvents()).isZero();

    // one time: only the order of appending orders them
    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-c", "req-b", "req-a");
  }

  @Test
  void anUngroupedWriteAfterAGroupKeepsTheOrderOfAppending() {
    store.appendRequestEventsGrouped("g-1", List.of(event("req-a", 5, "granted", null, "key_1")));
    store.appendRequestEvents("b-2", List.of(event("req-b", 5, "granted", null, "key_1")));
    store.appendRequestEventsGrouped("g-3", List.of(event("req-c", 5, "granted", null, "key_1")));
    store.commitRequestEvents();

    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-c", "req-b", "req-a");
  }

  @Test
  void requestEventsAreFilteredAndPagedNewestFirst() {
    List<RequestEvent> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean denied = i % 3 == 0;
      events.add(
          event(
              "req-" + i,
              i / 2, // two events per millisecond: the sequence orders them
              denied ? "denied" : "granted",
              denied ? "key_invalid" : null,
              i % 2 == 0 ? "key_even" : "key_odd"));
    }
    store.appendRequestEvents(events.subList(0, 13));
    store.appendRequestEvents(events.subList(13, 30));

    List<String> all = new ArrayList<>();
    EventPosition after = null;
    do {
      List<StoredEvent<RequestEvent>> page = store.requestEvents(EventFilter.ALL, after, 7);
      page.forEach(e -> all.add(e.event().requestId()));
      after = page.size() < 7 ? null : page.get(page.size() - 1).position();
    } while (after != null);
    assertThat(all).hasSize(30).startsWith("req-29", "req-28", "req-27").endsWith("req-1", "req-0");

    EventFilter denied =
        new EventFilter(
            "denied", "key_invalid", null, "key_even", null, null, null, null, null, null);
    assertThat(store.requestEvents(denied, null, 100))
        .extracting(e -> e.event().requestId())
        .containsExactly("req-24", "req-18", "req-12", "req-6", "req-0");
    EventFilter window =
        new EventFilter(
            null,
            null,
            "dev_ada",
            null,
            "users",
            null,
            null,
            null,
            T0.plusMillis(3),
            T0.plusMillis(5));
    assertThat(store.requestEvents(window, null, 100))
        .extracting(e -> e.event().requestId())
        .containsExactly("req-9", "req-8", "req-7", "req-6");
    EventFilter nobody =
        new EventFilter(null, null, "dev_nobody", null, null, null, null, null, null, null);
    assertThat(store.requestEvents(nobody, null, 100)).isEmpty();
  }

  @Test
  void oldRequestEventsAreDeletedInChunks() {
    List<RequestEvent> events = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      events.add(event("req-" + i, i, "granted", null, "key_1"));
    }
    store.appendRequestEvents(events);

    assertThat(store.deleteRequestEventsBefore(T0.plusMillis(20), 8)).isEqualTo(8);
    assertThat(store.deleteRequestEventsBefore(T0.plusMillis(20), 8)).isEqualTo(8);
    assertThat(store.deleteRequestEventsBefore(T0.plusMillis(20), 8)).isEqualTo(4);
    assertThat(store.deleteRequestEventsBefore(T0.plusMillis(20), 8)).isZero();
    assertThat(store.requestEvents(100))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-24", "req-23", "req-22", "req-21", "req-20");
  }

  protected static RequestEvent event(
      String requestId, int millis, String outcome, @Nullable String code, @Nullable String keyId) {
    RequestEventBuilder event =
        RequestEventBuilder.event(T0.plusMillis(millis))
            .requestId(requestId)
            .node("node-a")
            .path("/users/1?api_key=REDACTED");
    if (code != null) {
      event.denied(401, code, "unknown");
    }
    return event
        .outcome(outcome)
        .key(keyId, keyId == null ? null : "dev_ada")
        .clientIp("198.51.100.7")
        .userAgent("curl/8")
        .latencies(1200, 900)
        .build();
  }

  @Test
  void aClosedStoreIsUnavailable() throws Exception {
    ((AutoCloseable) store).close();

    assertThatThrownBy(
            () -> store.appendRequestEvents(List.of(event("req-1", 0, "granted", null, "k"))))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("store unavailable");
    assertThatThrownBy(() -> store.requestEvents(10)).isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void requestIdsOfANodeWithinATimeRangeIncludeBothEnds() {
    Instant t = T0.plusNanos(789); // below the microsecond: stored truncated, still found
    store.appendRequestEvents(
        List.of(
            eventAt(t.minusMillis(1), "before"),
            eventAt(t, "first"),
            eventAt(t.plusMillis(5), "middle"),
            eventAt(t.plusMillis(10), "last"),
            eventAt(t.plusMillis(11), "after"),
            RequestEventBuilder.event(t.plusMillis(5)).requestId("other-node").node("m").build()));

    assertThat(store.requestIds("n", t, t.plusMillis(10)))
        .containsExactlyInAnyOrder("first", "middle", "last");
    assertThat(store.requestIds("m", t, t.plusMillis(10))).containsExactly("other-node");
    assertThat(store.requestIds("nobody", t, t.plusMillis(10))).isEmpty();
  }

  @Test
  void aFileNeverStoredIsStoredUpToMinusOne() {
    assertThat(store.storedUpTo("file-unknown")).isEqualTo(-1);
  }

  @Test
  void eventsFromAFileAreStoredWithTheOffsetTheyWereReadUpTo() {
    store.appendFromFile(
        "file-a",
        120,
        List.of(
            event("req-a", 0, "granted", null, "key_1"), event("req-b", 1, "granted", null, null)));
    store.commitRequestEvents();

    assertThat(store.storedUpTo("file-a")).isEqualTo(120);
    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-b", "req-a");

    store.appendFromFile("file-a", 300, List.of(event("req-c", 2, "granted", null, "key_1")));
    store.commitRequestEvents();
    assertThat(store.storedUpTo("file-a")).isEqualTo(300);

    // lines the reader skips (blank, or not events) move the offset alone
    store.appendFromFile("file-a", 350, List.of());
    store.commitRequestEvents();
    assertThat(store.storedUpTo("file-a")).isEqualTo(350);
    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-c", "req-b", "req-a");
  }

  @Test
  void eachFileHasAnOffsetOfItsOwnAndTheLastOneAppendedWins() {
    store.appendFromFile("file-a", 100, List.of(event("req-a", 0, "granted", null, "key_1")));
    store.appendFromFile("file-b", 7, List.of(event("req-b", 1, "granted", null, "key_1")));
    store.appendFromFile("file-a", 200, List.of(event("req-c", 2, "granted", null, "key_1")));
    store.appendFromFile("file-a", 250, List.of());
    store.commitRequestEvents();

    assertThat(store.storedUpTo("file-a")).isEqualTo(250);
    assertThat(store.storedUpTo("file-b")).isEqualTo(7);
    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-c", "req-b", "req-a");
  }

  @Test
  void aFailedAppendFromFileStoresNeitherItsEventsNorItsOffset() {
    store.appendFromFile("file-a", 100, List.of(event("req-a", 0, "granted", null, "key_1")));
    store.commitRequestEvents();

    // the events fail: the offset must not move without them
    assertThatThrownBy(
            () ->
                store.appendFromFile(
                    "file-a",
                    200,
                    List.of(event("req-b", 1, "granted", null, "key_1"), unstorable(2))))
        .isInstanceOfAny(IllegalArgumentException.class, StoreUnavailableException.class);
    // the offset fails (an id longer than 64 characters), after the events were written
    assertThatThrownBy(
            () ->
                store.appendFromFile(
                    "f".repeat(65), 300, List.of(event("req-c", 3, "granted", null, "key_1"))))
        .isInstanceOfAny(IllegalArgumentException.class, StoreUnavailableException.class);
    store.commitRequestEvents();

    assertThat(store.storedUpTo("file-a")).isEqualTo(100);
    assertThat(store.storedUpTo("f".repeat(65))).isEqualTo(-1);
    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-a");
    assertThat(store.requestIds("node-a", T0, T0.plusSeconds(1))).containsExactly("req-a");
  }

  /** An event no engine stores: a null request id, which only a test can pass the record. */
  @SuppressWarnings("NullAway") // the null is the point
  private static RequestEvent unstorable(int millis) {
    RequestEvent e = event("req-unstorable", millis, "granted", null, "key_1");
    return new RequestEvent(
        e.time(),
        null,
        e.node(),
        e.api(),
        e.method(),
        e.path(),
        e.status(),
        e.outcome(),
        e.code(),
        e.reason(),
        e.keyId(),
        e.developerId(),
        e.clientIp(),
        e.userAgent(),
        e.latencyMicros(),
        e.upstreamLatencyMicros());
  }

  @Test
  void retentionForgetsTheOffsetOfAFileStoredToBeforeTheCutoff() {
    Instant now = Instant.now();
    store.appendFromFile("file-a", 100, List.of(eventAt(now.minusSeconds(7200), "req-a")));
    store.commitRequestEvents();

    // the event is older than this cutoff, the offset was stored after it: only the event goes
    deleteAllBefore(now.minusSeconds(3600));
    assertThat(store.requestEvents(10)).isEmpty();
    assertThat(store.storedUpTo("file-a")).isEqualTo(100);

    deleteAllBefore(Instant.now().plusSeconds(60));
    assertThat(store.storedUpTo("file-a")).isEqualTo(-1);
  }

  private void deleteAllBefore(Instant cutoff) {
    for (int i = 0; store.deleteRequestEventsBefore(cutoff, 100) > 0; i++) {
      assertThat(i).as("chunks").isLessThan(100);
    }
  }

  /**
   * A key's and a developer's events, rare among many others, paged newest first with cursors, ties
   * of the same millisecond ordered by sequence: the key's read through its index (V9), the
   * developer's through the time index.
   */
  @Test
  void oneKeysAndOneDevelopersEventsArePagedNewestFirst() {
    List<RequestEvent> events = new ArrayList<>();
    List<String> rareKey = new ArrayList<>();
    List<String> rareDeveloper = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String id = "req-" + i;
      boolean key = i % 37 == 5 || i == 4; // req-4 and req-5 share a millisecond
      boolean developer = key || i % 50 == 49;
      events.add(
          RequestEventBuilder.event(T0.plusMillis(i / 2))
              .requestId(id)
              .node("node-a")
              .key(key ? "key_rare" : "key_" + (i % 7), developer ? "dev_rare" : "dev_ada")
              .latencies(1, 1)
              .build());
      if (key) {
        rareKey.add(0, id);
      }
      if (developer) {
        rareDeveloper.add(0, id);
      }
    }
    store.appendRequestEvents(events.subList(0, 100));
    store.appendRequestEvents(events.subList(100, 300));

    EventFilter byKey =
        new EventFilter(null, null, null, "key_rare", null, null, null, null, null, null);
    EventFilter byDeveloper =
        new EventFilter(null, null, "dev_rare", null, null, null, null, null, null, null);
    assertThat(pages(byKey, 2)).isEqualTo(rareKey);
    assertThat(pages(byDeveloper, 3)).isEqualTo(rareDeveloper);
    assertThat(rareKey).endsWith("req-5", "req-4");
    // with a time range too
    EventFilter window =
        new EventFilter(
            null, null, null, "key_rare", null, null, null, null, T0, T0.plusMillis(50));
    assertThat(pages(window, 1)).containsExactly("req-79", "req-42", "req-5", "req-4");
  }

  /** Every request id the filter matches, read {@code size} at a time through the cursors. */
  private List<String> pages(EventFilter filter, int size) {
    List<String> all = new ArrayList<>();
    EventPosition after = null;
    for (int i = 0; i < 1000; i++) {
      List<StoredEvent<RequestEvent>> page = store.requestEvents(filter, after, size);
      page.forEach(e -> all.add(e.event().requestId()));
      if (page.size() < size) {
        return all;
      }
      after = page.get(page.size() - 1).position();
    }
    throw new AssertionError("more than 1000 pages");
  }
}
