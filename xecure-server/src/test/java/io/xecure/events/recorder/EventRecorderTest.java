package io.xecure.events.recorder;

import static io.xecure.events.recorder.TestEvents.events;
import static io.xecure.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.EventsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.store.EventFilter;
import io.xecure.store.SplitStore;
import io.xecure.store.duck.DuckEventStore;
import io.xecure.testing.MemoryStore;
import io.xecure.testing.SwitchableStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventRecorderTest {
  /** Small queue and batches, short intervals and back-off: the same paths, faster. */
  static final EventRecorder.Tuning FAST =
      new EventRecorder.Tuning(
          1_024,
          100,
          Duration.ofMillis(5),
          Duration.ofMillis(5),
          Duration.ofMillis(20),
          Duration.ofMillis(100),
          Duration.ofMillis(10),
          Duration.ofMillis(50),
          50,
          Duration.ofMillis(50),
          1L << 20);

  @TempDir Path dir;
  final MemoryStore memory = new MemoryStore();
  final SwitchableStore store = SwitchableStore.around(memory);

  EventsConfig config() {
    return new EventsConfig(true, dir.resolve("events.jsonl").toString())
        .withSpoolDir(dir.resolve("spool").toString())
        .withMaxStoreLag(Duration.ofSeconds(2));
  }

  /** No events file: the writer stores each batch itself, and spools while the store is down. */
  EventsConfig withoutFile() {
    return new EventsConfig(true, null).withSpoolDir(dir.resolve("spool").toString());
  }

  EventRecorder recorder() throws Exception {
    return new EventRecorder(store.store(), config(), Clock.systemUTC(), FAST);
  }

  EventRecorder recorderWithoutFile() throws Exception {
    return new EventRecorder(store.store(), withoutFile(), Clock.systemUTC(), FAST);
  }

  @Test
  void everyEventReachesTheStoreAndTheFile() throws Exception {
    try (EventRecorder recorder = recorder()) {
      events(0, 250).forEach(recorder::record);
      until("all are written", () -> recorder.written() == 250);
      assertThat(recorder.queued()).isEqualTo(250);
    }
    assertThat(storedIds()).hasSize(250);
    assertThat(Files.readAllLines(dir.resolve("events.jsonl"))).hasSize(250);
  }

  @Test
  void underLoadDuckDbGetsBatchesInGroupsListedWithinTheGroupAge() throws Exception {
    try (SplitStore split =
        new SplitStore(memory, DuckEventStore.open(dir.resolve("events.duckdb"), 64L << 20))) {
      try (EventRecorder recorder = new EventRecorder(split, config(), Clock.systemUTC(), FAST)) {
        // full batches (100, the group starting at 50): grouped, committed 50 ms after the first
        events(0, 1_000).forEach(recorder::record);
        until("all are written", () -> recorder.written() == 1_000);
        assertThat(split.requestEvents(EventFilter.ALL, null, 2_000)).hasSize(1_000);

        // a trickle: each batch committed at once
        recorder.record(TestEvents.event(1_000));
        until("the last is listed", () -> split.requestEvents(2_000).size() == 1_001);
        assertThat(recorder.dropped()).isZero();
      }
    }
  }

  @Test
  void aCleanShutdownCommitsTheOpenGroup() throws Exception {
    EventRecorder.Tuning slowCommits =
        new EventRecorder.Tuning(
            1_024,
            100,
            Duration.ofMillis(5),
            Duration.ofMillis(5),
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            1,
            Duration.ofHours(1),
            1L << 20);
    Path events = dir.resolve("events.duckdb");
    try (SplitStore split = new SplitStore(memory, DuckEventStore.open(events, 64L << 20));
        EventRecorder recorder =
            new EventRecorder(split, config(), Clock.systemUTC(), slowCommits)) {
      events(0, 300).forEach(recorder::record);
      until("they are in the open group", () -> split.uncommittedRequestEvents() == 300);
      assertThat(split.requestEvents(1_000)).isEmpty();
      assertThat(recorder.written()).isZero();
    }
    try (DuckEventStore reopened = DuckEventStore.open(events, 64L << 20)) {
      assertThat(reopened.requestEvents(EventFilter.ALL, null, 1_000)).hasSize(300);
    }
  }

  @Test
  void whileTheStoreIsDownBatchesAreSpooledAndDeliveredOnceItIsBack() throws Exception {
    try (EventRecorder recorder = recorderWithoutFile()) {
      recorder.record(TestEvents.event(0));
      until("the first is written", () -> recorder.written() == 1);
      store.down(true);
      events(1, 301).forEach(recorder::record);
      until("300 are spooled", () -> recorder.spoolBacklog() == 300);
      assertThat(spoolFiles()).isNotEmpty();
      assertThat(recorder.spooled()).isEqualTo(300);

      store.down(false);
      until("the spool is delivered", () -> recorder.spoolBacklog() == 0);
      assertThat(recorder.written()).isEqualTo(301);
      assertThat(recorder.dropped()).isZero();
    }
    assertThat(storedIds()).hasSize(301);
    assertThat(memory.requestEvents(1000)).hasSize(301); // each exactly once
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void aCleanShutdownSpoolsWhatTheStoreCannotTakeAndTheNextStartDeliversIt() throws Exception {
    store.down(true);
    try (EventRecorder recorder = recorderWithoutFile()) {
      events(0, 120).forEach(recorder::record);
    }
    assertThat(spoolFiles()).isNotEmpty();

    store.down(false);
    try (EventRecorder recorder = recorderWithoutFile()) {
      until("the spool is delivered", () -> recorder.spoolBacklog() == 0);
      assertThat(recorder.written()).isEqualTo(120);
    }
    assertThat(storedIds()).hasSize(120);
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void aBatchDeliveredAgainAfterACrashBetweenStoreAndDeleteIsStoredOnce() throws Exception {
    // the store took the batch, then the process died before deleting its spool file
    List<RequestEvent> batch = events(0, 50);
    Spool.Batch spooled = new Spool(dir.resolve("spool")).write(new BatchIds().next(1_000), batch);
    assertThat(memory.appendRequestEvents(spooled.id(), batch)).isTrue();

    try (EventRecorder recorder = recorderWithoutFile()) {
      until("the spool is delivered", () -> recorder.spoolBacklog() == 0);
    }
    assertThat(memory.requestEvents(1000)).hasSize(50);
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void underOverloadRecordingNeverBlocksAndCountsEveryDrop() throws Exception {
    store.holdWrites(); // the writer is stuck on a slow store
    int offered = 10_000;
    long elapsed;
    try (EventRecorder recorder = recorderWithoutFile()) {
      long start = System.nanoTime();
      events(0, offered).forEach(recorder::record);
      elapsed = System.nanoTime() - start;
      assertThat(recorder.dropped()).isGreaterThanOrEqualTo(offered - 1_024 - FAST.batch());
      assertThat(recorder.queued() + recorder.dropped()).isEqualTo(offered);
      store.release();
      until("the queue is written", () -> recorder.written() == recorder.queued());
    }
    assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofSeconds(2));
    assertThat(storedIds()).hasSizeLessThan(offered);
  }

  @Test
  void anEventAfterCloseIsCountedAsDropped() throws Exception {
    EventRecorder recorder = recorder();
    recorder.close();

    recorder.record(TestEvents.event(1));

    assertThat(recorder.dropped()).isEqualTo(1);
    assertThat(recorder.queued()).isZero();
  }

  private Set<String> storedIds() {
    Set<String> ids = new HashSet<>();
    memory.requestEvents(100_000).forEach(e -> ids.add(e.requestId()));
    return ids;
  }

  private List<Path> spoolFiles() throws Exception {
    Path spool = dir.resolve("spool");
    if (!Files.isDirectory(spool)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(spool)) {
      return files.toList();
    }
  }
}
