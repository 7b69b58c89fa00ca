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
}
