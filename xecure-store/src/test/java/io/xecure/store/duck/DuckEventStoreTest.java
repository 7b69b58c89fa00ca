package io.xecure.store.duck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xecure.events.RequestEvent;
import io.xecure.store.EventFilter;
import io.xecure.store.RequestEventStore;
import io.xecure.store.RequestEventStoreContract;
import io.xecure.store.StoreUnavailableException;
import io.xecure.store.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request-event contract on DuckDB, plus what only a DuckDB file needs. */
class DuckEventStoreTest extends RequestEventStoreContract {
  @SuppressWarnings("NullAway.Init") // injected by JUnit
  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("data").resolve("events.duckdb");
  }

  @Override
  protected RequestEventStore openEvents() {
    return DuckEventStore.open(file(), 64L << 20);
  }

  @Test
  void eventsSurviveReopeningAndLaterOnesListFirst() {
    // two events of the same microsecond: only the sequence orders them, across the reopening
    store.appendRequestEvents("batch-1", List.of(event("req-a", 1, "granted", null, "key_1")));
    ((DuckEventStore) store).close();

    assertThat(Files.exists(file())).isTrue();
    try (DuckEventStore reopened = DuckEventStore.open(file(), 64L << 20)) {
      assertThat(reopened.appendRequestEvents("batch-1", List.of())).isFalse();
      reopened.appendRequestEvents(List.of(event("req-b", 1, "granted", null, "key_1")));

      assertThat(reopened.requestEvents(10))
          .extracting(RequestEvent::requestId)
          .containsExactly("req-b", "req-a");
    }
  }

  @Test
  void aGroupIsListedOnlyOnceCommitted() {
    store.appendRequestEventsGrouped("g-1", List.of(event("req-a", 1, "granted", null, "key_1")));
    store.appendRequestEventsGrouped("g-2", List.of(event("req-b", 2, "granted", null, "key_1")));

    assertThat(store.uncommittedRequestEvents()).isEqualTo(2);
    assertThat(store.requestEvents(10)).isEmpty();
    assertThat(store.requestIds("node-a", T0, T0.plusSeconds(1))).isEmpty();

    assertThat(store.commitRequestEvents()).isEqualTo(2);
    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-b", "req-a");
  }

  @Test
  void aGroupCommitsItselfOnceItFillsARowGroup() {
    List<RequestEvent> batch = new ArrayList<>();
    for (int i = 0; i < 4_096; i++) {
      batch.add(event("req-" + i, i % 1000, "granted", null, "key_1"));
    }
    int appended = 0;
    for (int b = 0; appended < DuckEventStore.GROUP_ROWS; b++) {
      assertThat(store.uncommittedRequestEvents()).isEqualTo(appended);
      store.appendRequestEventsGrouped("g-" + b, batch);
      appended += batch.size();
    }

    assertThat(store.uncommittedRequestEvents()).isZero();
    assertThat(store.requestIds("node-a", T0, T0.plusSeconds(1))).hasSize(batch.size());
    assertThat(store.requestEvents(EventFilter.ALL, null, 200_000)).hasSize(appended);
  }

  @Test
  void chunksOfOneFileInAGroupCommitTheirEventsAndTheLastOffsetTogether() {
    long offset = 0;
    for (int c = 0; c < 5; c++) {
      List<RequestEvent> chunk = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        chunk.add(event("req-" + c + "-" + i, i, "granted", null, "key_1"));
      }
      store.appendFromFile("file-a", offset += 1_000, chunk);
    }

    assertThat(store.storedUpTo("file-a")).isEqualTo(-1);
    assertThat(store.requestEvents(EventFilter.ALL, null, 10_000)).isEmpty();

    assertThat(store.commitRequestEvents()).isEqualTo(5_000);
    assertThat(store.storedUpTo("file-a")).isEqualTo(5_000);
    assertThat(store.requestEvents(EventFilter.ALL, null, 10_000)).hasSize(5_000);
  }

  @Test
  void anOffsetAppendedToTheGroupIsReadOnlyOnceCommitted() {
    store.appendFromFile("file-a", 100, List.of(event("req-a", 1, "granted", null, "key_1")));
    store.commitRequestEvents();
    store.appendFromFile("file-a", 200, List.of(event("req-b", 2, "granted", null, "key_1")));
    store.appendFromFile("file-b", 50, List.of());

    assertThat(store.uncommittedRequestEvents()).isEqualTo(1);
    assertThat(store.storedUpTo("file-a")).isEqualTo(100);
    assertThat(store.storedUpTo("file-b")).isEqualTo(-1);

    assertThat(store.commitRequestEvents()).isEqualTo(1);
    assertThat(store.storedUpTo("file-a")).isEqualTo(200);
    assertThat(store.storedUpTo("file-b")).isEqualTo(50);
  }

  @Test
  void aGroupThatCommitsItselfCommitsTheOffsetAppendedLast() {
    List<RequestEvent> batch = new ArrayList<>();
    for (int i = 0; i < 4_096; i++) {
      batch.add(event("req-" + i, i % 1000, "granted", null, "key_1"));
    }
    long offset = 0;
    while (store.uncommittedRequestEvents() + batch.size() < DuckEventStore.GROUP_ROWS) {
      store.appendFromFile("file-a", offset += 1_000, batch);
    }
    assertThat(store.storedUpTo("file-a")).isEqualTo(-1);

    // this append fills the row group: its offset commits with it, no commitRequestEvents needed
    store.appendFromFile("file-a", offset += 1_000, batch);

    assertThat(store.uncommittedRequestEvents()).isZero();
    assertThat(store.storedUpTo("file-a")).isEqualTo(offset);
  }

  @Test
  void aFailedAppendFromFileRollsTheWholeGroupBack() {
    store.appendFromFile("file-a", 100, List.of(event("req-a", 1, "granted", null, "key_1")));
    store.commitRequestEvents();
    store.appendFromFile("file-a", 200, List.of(event("req-b", 2, "granted", null, "key_1")));
    store.appendFromFile("file-b", 50, List.of(event("req-c", 3, "granted", null, "key_1")));

    // a file id longer than the JDBC store's 64 characters fails here too, and takes the group
    assertThatThrownBy(() -> store.appendFromFile("f".repeat(65), 10, List.of()))
        .isInstanceOf(StoreUnavailableException.class);

    assertThat(store.uncommittedRequestEvents()).isZero();
    assertThat(store.commitRequestEvents()).isZero();
    assertThat(store.storedUpTo("file-a")).isEqualTo(100);
    assertThat(store.storedUpTo("file-b")).isEqualTo(-1);
    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-a");

    // the reader starts again from the offsets stored, in a new group
    store.appendFromFile("file-a", 200, List.of(event("req-b", 2, "granted", null, "key_1")));
    store.commitRequestEvents();
    assertThat(store.storedUpTo("file-a")).isEqualTo(200);
    assertThat(store.requestEvents(10))
        .extracting(RequestEvent::requestId)
        .containsExactly("req-b", "req-a");
  }

  @Test
  void offsetsSurviveReopeningAndClosingCommitsTheOpenGroupsOffset() {
    store.appendFromFile("file-a", 100, List.of(event("req-a", 1, "granted", null, "key_1")));
    store.commitRequestEvents();
    store.appendFromFile("file-b", 70, List.of());
    ((DuckEventStore) store).close();

    try (DuckEventStore reopened = DuckEventStore.open(file(), 64L << 20)) {
      assertThat(reopened.storedUpTo("file-a")).isEqualTo(100);
      assertThat(reopened.storedUpTo("file-b")).isEqualTo(70);
    }
  }

  @Test
  void closingCommitsTheOpenGroup() {
    store.appendRequestEventsGrouped("g-1", List.of(event("req-a", 1, "granted", null, "key_1")));
    ((DuckEventStore) store).close();

    try (DuckEventStore reopened = DuckEventStore.open(file(), 64L << 20)) {
      assertThat(reopened.requestEvents(10))
          .extracting(RequestEvent::requestId)
          .containsExactly("req-a");
    }
  }

  @Test
  void anInMemoryDatabaseKeepsEventsUntilClosed() {
    try (DuckEventStore memory = DuckEventStore.open(null, 64L << 20)) {
      memory.appendRequestEvents(List.of(event("req-a", 0, "granted", null, "key_1")));

      assertThat(memory.requestEvents(10)).extracting(RequestEvent::requestId).contains("req-a");
      assertThat(memory.location()).isEqualTo("memory");
    }
  }

  @Test
  void readersBesideTheWriterSeeWholeBatchesOnly() throws Exception {
    int batches = 100;
    int size = 10;
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              for (int b = 0; b < batches; b++) {
                List<RequestEvent> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                  batch.add(event("req-" + b + "-" + i, b, "granted", null, "key_" + i));
                }
                store.appendRequestEvents("batch-" + b, batch);
              }
            });
    List<CompletableFuture<List<Integer>>> readers =
        IntStream.range(0, 3)
            .mapToObj(
                r ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          List<Integer> seen = new ArrayList<>();
                          for (int i = 0; i < 50 && !writer.isDone(); i++) {
                            seen.add(store.requestEvents(EventFilter.ALL, null, 5_000).size());
                          }
                          return seen;
                        }))
            .toList();

    writer.join();
    for (CompletableFuture<List<Integer>> reader : readers) {
      assertThat(reader.join()).allSatisfy(n -> assertThat(n % size).isZero());
    }
    List<StoredEvent<RequestEvent>> all = store.requestEvents(EventFilter.ALL, null, 5_000);
    assertThat(all).hasSize(batches * size);
    assertThat(all.get(0).event().requestId()).startsWith("req-99-");
  }

  @Test
  void aFileThatIsNotADatabaseIsAClearError() throws Exception {
    Path notADatabase = dir.resolve("events.duckdb");
    Files.writeString(notADatabase, "this is not a DuckDB file");

    assertThatThrownBy(() -> DuckEventStore.open(notADatabase, 64L << 20))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("request events: cannot open " + notADatabase.toAbsolutePath());
  }

  @Test
  void aGatewayRequestIdIsStoredAsItsNumberAndEveryIdIsListedAsSent() throws Exception {
    String gateways = "0a1b2c3d4e5f6g7h8i9v";
    List<String> others =
        List.of("req-1", "0A1B2C3D4E5F6G7H8I9V", "0a1b2c3d4e5f6g7h8i9w", "0a1b2c3d4e5f6g7h8i9");
    List<RequestEvent> events = new ArrayList<>();
    events.add(event(gateways, 1, "granted", null, "key_1"));
    for (int i = 0; i < others.size(); i++) {
      events.add(event(others.get(i), 2 + i, "denied", "key_invalid", null));
    }
    store.appendRequestEvents(events);

    // newest first
    List<String> all = new ArrayList<>(others);
    java.util.Collections.reverse(all);
    all.add(gateways);
    assertThat(store.requestEvents(10)).extracting(RequestEvent::requestId).isEqualTo(all);
    assertThat(store.requestIds("node-a", T0, T0.plusSeconds(1)))
        .containsExactlyInAnyOrderElementsOf(all);
    ((DuckEventStore) store).close();

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file().toAbsolutePath());
        Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery("SELECT count(*) FROM request_events WHERE request_id IS NULL")) {
      rs.next();
      assertThat(rs.getInt(1)).as("only the gateway's id stored as a number").isEqualTo(1);
    }
  }

  /** A file as an earlier version left it: {@code statements} run on a new DuckDB file. */
  private Path oldFile(String... statements) throws Exception {
    Path old = dir.resolve("old").resolve("events.duckdb");
    Files.createDirectories(old.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + old.toAbsolutePath());
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
    return old;
  }

  @Test
  void aFileWithRequestIdsAsStringsKeepsThemAndStoresNewOnesAsNumbers() throws Exception {
    // the request_events table as files from 2026-12-06 to 2026-12-07 hold it
    Path old =
        oldFile(
            EventNames.SCHEMA,
            "CREATE TABLE request_events (seq BIGINT NOT NULL, occurred_at TIMESTAMP NOT NULL,"
                + " request_id VARCHAR NOT NULL, node INTEGER NOT NULL, api INTEGER,"
                + " method VARCHAR NOT NULL, path VARCHAR NOT NULL, status INTEGER NOT NULL,"
                + " outcome INTEGER NOT NULL, code INTEGER, reason INTEGER, key_id VARCHAR,"
                + " developer_id VARCHAR, client_ip VARCHAR NOT NULL, user_agent VARCHAR,"
                + " latency_micros BIGINT NOT NULL, upstream_latency_micros BIGINT NOT NULL)",
            "INSERT INTO event_names VALUES (1, 'node-a'), (2, 'granted')",
            "INSERT INTO request_events VALUES (1, TIMESTAMP '2026-12-01 10:00:00',"
                + " 'vvvvvvvvvvvvvvvvvvv0', 1, NULL, 'GET', '/users/1', 200, 2, NULL, NULL,"
                + " 'key_1', 'dev_ada', '10.0.0.1', 'curl', 120, 80)");

    try (DuckEventStore reopened = DuckEventStore.open(old, 64L << 20)) {
      reopened.appendRequestEvents(
          List.of(event("0a1b2c3d4e5f6g7h8i9v", 1, "granted", null, null)));
      assertThat(reopened.requestEvents(10))
          .extracting(RequestEvent::requestId)
          .containsExactly("vvvvvvvvvvvvvvvvvvv0", "0a1b2c3d4e5f6g7h8i9v"); // December first
    }
    try (DuckEventStore again = DuckEventStore.open(old, 64L << 20)) {
      assertThat(again.requestEvents(10))
          .extracting(RequestEvent::node)
          .containsExactly("node-a", "node-a");
    }
  }

  @Test
  void aFileWrittenWithNamesAsStringsIsNumberedAtOpenAndLosesNothing() throws Exception {
    // the request_events table as every file before 2026-12-06 holds it
    Path old =
        oldFile(
            "CREATE TABLE request_events (seq BIGINT NOT NULL, occurred_at TIMESTAMP NOT NULL,"
                + " request_id VARCHAR NOT NULL, node VARCHAR NOT NULL, api VARCHAR,"
                + " method VARCHAR NOT NULL, path VARCHAR NOT NULL, status INTEGER NOT NULL,"
                + " outcome VARCHAR NOT NULL, code VARCHAR, reason VARCHAR, key_id VARCHAR,"
                + " developer_id VARCHAR, client_ip VARCHAR NOT NULL, user_agent VARCHAR,"
                + " latency_micros BIGINT NOT NULL, upstream_latency_micros BIGINT NOT NULL)",
            "CREATE TABLE event_batches (batch_id VARCHAR PRIMARY KEY, stored_at TIMESTAMP NOT NULL)",
            "INSERT INTO request_events VALUES"
                + " (1, TIMESTAMP '2026-12-01 10:00:00', 'req-old-1', 'node-a', 'users', 'GET',"
                + " '/users/1', 200, 'granted', NULL, NULL, 'key_1', 'dev_ada', '10.0.0.1', 'curl',"
                + " 120, 80),"
                + " (2, TIMESTAMP '2026-12-01 10:00:01', 'req-old-2', 'node-a', NULL, 'POST',"
                + " '/nowhere', 401, 'denied', 'key_invalid', 'unknown', NULL, NULL, '10.0.0.2',"
                + " NULL, 30, 0)",
            "INSERT INTO event_batches VALUES ('batch-old', TIMESTAMP '2026-12-01 10:00:01')");

    try (DuckEventStore reopened = DuckEventStore.open(old, 64L << 20)) {
      List<RequestEvent> all = reopened.requestEvents(10);
      assertThat(all).extracting(RequestEvent::requestId).containsExactly("req-old-2", "req-old-1");
      RequestEvent denied = all.get(0);
      assertThat(denied.api()).isNull();
      assertThat(denied.outcome()).isEqualTo("denied");
      assertThat(denied.code()).isEqualTo("key_invalid");
      assertThat(denied.reason()).isEqualTo("unknown");
      assertThat(denied.userAgent()).isNull();
      RequestEvent granted = all.get(1);
      assertThat(granted.node()).isEqualTo("node-a");
      assertThat(granted.api()).isEqualTo("users");
      assertThat(granted.code()).isNull();
      assertThat(granted.developerId()).isEqualTo("dev_ada");
      assertThat(granted.latencyMicros()).isEqualTo(120);

      // filters by numbered names, and the batch ids kept
      assertThat(
              reopened.requestEvents(
                  new EventFilter(
                      "denied", "key_invalid", null, null, null, null, null, null, null, null),
                  null,
                  10))
          .extracting(e -> e.event().requestId())
          .containsExactly("req-old-2");
      assertThat(reopened.appendRequestEvents("batch-old", List.of())).isFalse();

      // later events take the next numbers, names new and old alike
      reopened.appendRequestEvents(List.of(event("req-new", 1, "denied", "key_revoked", null)));
      assertThat(reopened.requestEvents(10)).hasSize(3);
    }
    try (DuckEventStore again = DuckEventStore.open(old, 64L << 20)) {
      assertThat(again.requestEvents(10))
          .extracting(RequestEvent::code)
          .containsExactlyInAnyOrder("key_revoked", "key_invalid", null);
    }
  }
}
