package io.xecure.events.recorder;

import static io.xecure.events.recorder.TestEvents.events;
import static io.xecure.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xecure.config.EventsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.store.SplitStore;
import io.xecure.store.Store;
import io.xecure.store.duck.DuckEventStore;
import io.xecure.testing.MemoryStore;
import io.xecure.testing.MutableClock;
import io.xecure.testing.SwitchableStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events file as the store's queue: whatever stopped the previous run, and whatever the store
 * did meanwhile, the store ends up with the file's events, each once.
 */
class FileIndexerTest {
  @TempDir Path dir;
  final MemoryStore memory = new MemoryStore();
  final SwitchableStore store = SwitchableStore.around(memory);

  Path eventsFile() {
    return dir.resolve("events.jsonl");
  }

  EventsConfig config() {
    return new EventsConfig(true, eventsFile().toString())
        .withSpoolDir(dir.resolve("spool").toString())
        .withMaxStoreLag(Duration.ofSeconds(2));
  }

  EventRecorder recorder(Store s, EventsConfig config) throws Exception {
    return new EventRecorder(s, config, Clock.systemUTC(), EventRecorderTest.FAST);
  }

  /** Lines a previous run wrote and nobody stored: written straight to the file. */
  void writtenByAnEarlierRun(List<RequestEvent> batch) throws Exception {
    try (JsonLinesFile file =
        new JsonLinesFile(eventsFile(), 1 << 30, Duration.ofDays(1), Clock.systemUTC())) {
      file.append(TestEvents.queued(batch));
    }
  }

  @Test
  void aRestartStoresWhatTheLastRunWroteToTheFileAfterTheStoresLastCommit() throws Exception {
    try (EventRecorder recorder = recorder(store.store(), config())) {
      events(0, 100).forEach(recorder::record);
      until("the first run's events are stored", () -> recorder.written() == 100);
    }
    // killed after writing these to the file, before the store took them
    writtenByAnEarlierRun(events(100, 300));

    try (EventRecorder recorder = recorder(store.store(), config())) {
      until("the rest is stored", () -> recorder.written() == 200);
      events(300, 310).forEach(recorder::record);
      until("new events are stored after it", () -> recorder.written() == 210);
    }
    assertStoredOnce(310);
  }

  @Test
  void aStoreThatNeverSawTheFileIsGivenItFromItsStart() throws Exception {
    // a first run killed before its first commit
    writtenByAnEarlierRun(events(0, 150));

    try (EventRecorder recorder = recorder(store.store(), config())) {
      until("the file is stored", () -> recorder.written() == 150);
    }
    assertStoredOnce(150);
  }

  @Test
  void aFileAnEarlierVersionStoredDirectlyIsNotStoredAgain() throws Exception {
    List<RequestEvent> earlier = events(0, 150);
    writtenByAnEarlierRun(earlier);
    memory.appendRequestEvents(earlier);

    try (EventRecorder recorder = recorder(store.store(), config())) {
      events(150, 160).forEach(recorder::record);
      until("the new events are stored", () -> recorder.written() == 10);
    }
    assertStoredOnce(160);
  }

  @Test
  void whileTheStoreIsDownTheFileHoldsEverythingAndNothingIsSpooled() throws Exception {
    try (EventRecorder recorder = recorder(store.store(), config())) {
      recorder.record(TestEvents.event(0));
      until("the first is stored", () -> recorder.written() == 1);
      store.down(true);
      events(1, 301).forEach(recorder::record);
      until("the file holds them", () -> Files.readAllLines(eventsFile()).size() == 301);
      until("the store is behind", () -> recorder.storeLagSeconds() > 0);
      assertThat(recorder.written()).isEqualTo(1);

      store.down(false);
      until("the store catches up", () -> recorder.written() == 301);
      assertThat(recorder.storeLagSeconds()).isZero();
      assertThat(recorder.dropped()).isZero();
      assertThat(recorder.spooled()).isZero();
    }
    assertThat(dir.resolve("spool")).doesNotExist();
    assertStoredOnce(301);
  }

  @Test
  void aShutdownWhileTheStoreIsDownLeavesTheRestToTheNextStart() throws Exception {
    try (EventRecorder recorder = recorder(store.store(), config())) {
      events(0, 10).forEach(recorder::record);
      until("the first are stored", () -> recorder.written() == 10);
      store.down(true);
      events(10, 40).forEach(recorder::record);
    }
    store.down(false);
    assertThat(memory.requestEvents(1_000)).hasSize(10);

    try (EventRecorder recorder = recorder(store.store(), config())) {
      until("the rest is stored at start", () -> recorder.written() == 30);
    }
    assertStoredOnce(40);
  }

  @Test
  void aRotatedFileIsNotDeletedBeforeTheStoreHoldsIt() throws Exception {
    try (EventRecorder recorder = recorder(store.store(), config())) {
      events(0, 10).forEach(recorder::record);
      until("the first run's events are stored", () -> recorder.written() == 10);
    }
    // a run that wrote and rotated several files, killed before the store took them
    try (JsonLinesFile file =
        new JsonLinesFile(eventsFile(), 4_000, Duration.ofDays(1), Clock.systemUTC())) {
      for (int i = 0; i < 10; i++) {
        file.append(TestEvents.queued(events(10 + i * 20, 30 + i * 20)));
      }
    }
    List<Path> rotated = rotated();
    assertThat(rotated).hasSizeGreaterThan(2);
    for (Path p : rotated) { // older than the retention (30 days)
      Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(40))));
    }

    // retention runs with the first chunk, before the rotated files are read
    try (EventRecorder recorder = recorder(store.store(), config())) {
      until("everything is stored", () -> recorder.written() == 200);
      assertThat(rotated()).containsAll(rotated);
    }
    assertStoredOnce(210);
  }

  @Test
  void aLineThatIsNotAnEventIsSkippedAndCounted() throws Exception {
    writtenByAnEarlierRun(events(0, 5));
    Files.writeString(eventsFile(), "{\"not\":\"an event\"}\n", StandardOpenOption.APPEND);
    writtenByAnEarlierRun(events(5, 10));

    try (EventRecorder recorder = recorder(store.store(), config())) {
      until("the events are stored", () -> recorder.written() == 10);
      until("the line is counted", () -> recorder.dropped() == 1);
    }
    assertStoredOnce(10);
  }

  @Test
  void anEventTheStoreRefusesIsSkippedAloneAndTheRestStored() throws Exception {
    Store refusing = refusing(memory, "req-42");
    try (EventRecorder recorder = recorder(refusing, config())) {
      events(0, 100).forEach(recorder::record);
      until("the rest are stored", () -> recorder.written() == 99);
      until("the refused one is counted", () -> recorder.dropped() == 1);
      events(100, 110).forEach(recorder::record);
      until("later events are stored", () -> recorder.written() == 109);
    }
    assertThat(memory.requestEvents(1_000))
        .extracting(RequestEvent::requestId)
        .doesNotContain("req-42")
        .hasSize(109)
        .doesNotHaveDuplicates();
  }

  @Test
  void inTheIdleClassTheStoreIsGivenTheFileAThousandLinesAtATimeWhateverTheWritersBatch()
      throws Exception {
    // a chunk is on the heap until stored, and the idle-class thread may wait seconds mid-chunk
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    // a lag limit the file stays under: the thread at normal priority never takes over after the
    // start; and the indexer looks at the file every half second: it finds 3,000 new lines at once
    EventRecorder.Tuning writersBatchOf4096 =
        new EventRecorder.Tuning(
            1_024,
            4_096,
            Duration.ofMillis(5),
            Duration.ofMillis(5),
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            50,
            Duration.ofMillis(50),
            1L << 30);
    try (EventRecorder recorder =
        new EventRecorder(
            counting(store.store(), sizes), config(), Clock.systemUTC(), writersBatchOf4096)) {
      // the start's work (up to its first commit) is the thread at normal priority's
      recorder.record(TestEvents.event(0));
      until("the first is stored", () -> recorder.written() == 1);
      for (int from = 1; from < 3_001; from += 1_000) { // the queue holds 1,024
        int to = from + 1_000;
        events(from, to).forEach(recorder::record);
        until("the file holds them", () -> Files.readAllLines(eventsFile()).size() == to);
      }
      until("the file is stored", () -> recorder.written() == 3_001);
    }
    assertThat(sizes)
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(FileIndexer.IDLE_CHUNK_LINES));
    assertThat(sizes).contains(FileIndexer.IDLE_CHUNK_LINES);
    assertStoredOnce(3_001);
  }

  @Test
  void theStartIsStoredAtNormalPriorityWhereTheIdleClassWouldHoldTheLockForSeconds()
      throws Exception {
    // its first steps are cold code: on a busy machine the idle class's share stretched them into
    // seconds with the lock held (2-10 s under two yes processes), as if it never got the CPU back
    writtenByAnEarlierRun(events(0, 300));
    CountDownLatch cpuBack = new CountDownLatch(1);
    SplitStore split = // a store that groups appends until a commit, as DuckDB does
        new SplitStore(memory, DuckEventStore.open(dir.resolve("events.duckdb"), 64L << 20));
    Store stalling =
        (Store)
            Proxy.newProxyInstance(
                Store.class.getClassLoader(),
                new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                  if (Thread.currentThread().getName().equals("xecure-index")) {
                    cpuBack.await(30, TimeUnit.SECONDS);
                  }
                  try {
                    return method.invoke(split, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    // committed once, when the reader reaches the file's end: the start ends there
    EventRecorder.Tuning oneCommit =
        new EventRecorder.Tuning(
            1_024,
            100,
            Duration.ofMillis(5),
            Duration.ofMillis(5),
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            1_000,
            Duration.ofHours(1),
            1L << 20);
    try (EventRecorder recorder =
        new EventRecorder(stalling, config(), Clock.systemUTC(), oneCommit)) {
      until("what the last run left is stored", () -> recorder.written() == 300);
    } finally {
      cpuBack.countDown();
      split.close();
    }
  }

  @Test
  void manyEventsSinceTheReaderLastCaughtUpWaitForTheGroupsAgeAndATrickleIsListedAtOnce()
      throws Exception {
    writtenByAnEarlierRun(events(0, 300)); // three chunks of 100, more than groupFrom (150)
    try (SplitStore split =
            new SplitStore(memory, DuckEventStore.open(dir.resolve("events.duckdb"), 64L << 20));
        EventRecorder recorder =
            new EventRecorder(split, config(), Clock.systemUTC(), GROUPED_FOR_AN_HOUR)) {
      until("the file's events are appended", () -> split.uncommittedRequestEvents() == 300);
      assertThat(recorder.written())
          .as("a load: committed with the group, not when caught up")
          .isZero();
      events(300, 310).forEach(recorder::record);
      until("ten after them: a trickle, committed at once", () -> recorder.written() == 310);
    }
  }

  @Test
  void aTrickleWrittenWhileTheLoadsLastChunkIsBeingStoredIsListedAtOnce() throws Exception {
    writtenByAnEarlierRun(events(0, 300));
    CompletableFuture<EventRecorder> running = new CompletableFuture<>();
    AtomicBoolean written = new AtomicBoolean();
    Consumer<List<RequestEvent>> writeTenMore =
        batch -> {
          boolean last =
              !batch.isEmpty() && batch.get(batch.size() - 1).requestId().equals("req-299");
          if (last && written.compareAndSet(false, true)) {
            try {
              EventRecorder recorder = running.get(10, TimeUnit.SECONDS);
              events(300, 310).forEach(recorder::record);
              until("the file holds them", () -> Files.readAllLines(eventsFile()).size() == 310);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };
    try (SplitStore split =
            new SplitStore(memory, DuckEventStore.open(dir.resolve("events.duckdb"), 64L << 20));
        EventRecorder recorder =
            new EventRecorder(
                watchingWritesFromTheFile(split, writeTenMore),
                config(),
                Clock.systemUTC(),
                GROUPED_FOR_AN_HOUR)) {
      running.complete(recorder);
      // the load's pass ended with the chunk that reached the file's end as it was when the
      // reader took it; the ten after it are a pass of their own
      until("the ten: a trickle, committed at once", () -> recorder.written() == 310);
    }
  }

  /** Chunks of 100, a pass of 150 or more grouped, and a group never old enough to commit. */
  private static final EventRecorder.Tuning GROUPED_FOR_AN_HOUR =
      new EventRecorder.Tuning(
          1_024,
          100,
          Duration.ofMillis(5),
          Duration.ofMillis(5),
          Duration.ofSeconds(2), // the indexer polls every second
          Duration.ofMillis(100),
          Duration.ofMillis(10),
          Duration.ofMillis(50),
          150,
          Duration.ofHours(1),
          1L << 20);

  @Test
  void eventsTheFileCannotTakeAreCountedAsDroppedAndNothingHalfWrittenIsRead() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/full")), "a device that is always full");
    Files.createSymbolicLink(eventsFile(), Path.of("/dev/full"));
    try (EventRecorder recorder = recorder(store.store(), config())) {
      events(0, 10).forEach(recorder::record);
      until("they are counted as dropped", () -> recorder.dropped() == 10);
      Thread.sleep(200); // the indexer's turns: nothing to read
      assertThat(recorder.written()).isZero();
      assertThat(recorder.dropped()).isEqualTo(10);
      assertThat(recorder.storeLagSeconds()).as("the store lacks nothing the file holds").isZero();
    }
    assertThat(memory.requestEvents(100)).isEmpty();
  }

  @Test
  void theNormalPriorityThreadTakesOverAboveEitherLimitUntilBackUnderHalfOfBoth() {
    long minute = 60_000;
    // bytes of file behind
    assertThat(FileIndexer.urgent(1_000, 1_000, 0, minute, false)).isFalse();
    assertThat(FileIndexer.urgent(1_001, 1_000, 0, minute, false)).isTrue();
    assertThat(FileIndexer.urgent(600, 1_000, 0, minute, true)).isTrue();
    assertThat(FileIndexer.urgent(500, 1_000, 0, minute, true)).isFalse();
    // time behind, with few bytes
    assertThat(FileIndexer.urgent(10, 1_000, minute, minute, false)).isFalse();
    assertThat(FileIndexer.urgent(10, 1_000, minute + 1, minute, false)).isTrue();
    assertThat(FileIndexer.urgent(10, 1_000, minute / 2 + 1, minute, true)).isTrue();
    assertThat(FileIndexer.urgent(10, 1_000, minute / 2, minute, true)).isFalse();
    // back under half of one only
    assertThat(FileIndexer.urgent(600, 1_000, minute / 2, minute, true)).isTrue();
    assertThat(FileIndexer.urgent(500, 1_000, minute / 2 + 1, minute, true)).isTrue();
  }

  @Test
  void onAMachineKeptBusyBySomethingElseLightTrafficIsStoredOnceItIsTheLagAgeOld()
      throws Exception {
    // more threads spinning at normal priority than there are CPUs: the idle class gets nothing
    int spinners = Runtime.getRuntime().availableProcessors() + 1;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> busy = new ArrayList<>();
    for (int i = 0; i < spinners; i++) {
      Thread t =
          new Thread(
              () -> {
                while (!stop.get() && System.nanoTime() < deadline) {
                  Thread.onSpinWait();
                }
              });
      t.setDaemon(true);
      t.start();
      busy.add(t);
    }
    try (EventRecorder recorder = recorder(store.store(), config())) { // max_store_lag: 2 s
      events(0, 10).forEach(recorder::record);
      until("they are stored", () -> recorder.written() == 10);
      assertThat(recorder.storeLagSeconds()).isZero();
    } finally {
      stop.set(true);
      for (Thread t : busy) {
        t.join();
      }
    }
    assertStoredOnce(10);
  }

  @Test
  void afterAQuietTimeTheLagIsCountedFromWhenTheStoreLastHeldEverything() throws Exception {
    MutableClock time = new MutableClock(TestEvents.T0);
    AtomicInteger indexerLooked = new AtomicInteger();
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            if (Thread.currentThread().getName().equals("xecure-index")) {
              indexerLooked.incrementAndGet();
            }
            return time.instant();
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    try (EventRecorder recorder =
        new EventRecorder(store.store(), config(), clock, EventRecorderTest.FAST)) {
      recorder.record(TestEvents.event(0));
      until("the first is stored", () -> recorder.written() == 1);
      time.advance(Duration.ofHours(1)); // nothing recorded for an hour
      int before = indexerLooked.get();
      until("the indexer looked at the file since", () -> indexerLooked.get() > before + 2);

      store.down(true);
      recorder.record(TestEvents.event(1));
      until("the file holds it", () -> Files.readAllLines(eventsFile()).size() == 2);
      assertThat(recorder.written()).as("the store lacks it").isEqualTo(1);
      assertThat(recorder.storeLagSeconds())
          .as("lacking an event recorded just now, not an hour ago")
          .isLessThan(60);
    }
  }

  @Test
  void theLoweredThreadRunsInTheIdleClass() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
    CompletableFuture<String> tid = new CompletableFuture<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              String why = LowPriority.lowerCurrentThread();
              tid.complete(why == null ? LowPriority.currentThreadId() : "failed: " + why);
              done.join();
            });
    t.start();
    try {
      String id = tid.get();
      assertThat(id).doesNotStartWith("failed");
      assertThat(policy(id)).isEqualTo(LowPriority.SCHED_IDLE);
      assertThat(policy(String.valueOf(LowPriority.currentThreadId())))
          .isNotEqualTo(LowPriority.SCHED_IDLE);
    } finally {
      done.complete(null);
      t.join();
    }
  }

  /** Field 41 (the scheduling policy) of /proc/self/task/TID/stat. */
  private static int policy(String tid) throws Exception {
    String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[38]); // field 3 is the first after the name
  }

  /** A store noting how many events each write from the file holds. */
  private static Store counting(Store target, List<Integer> sizes) {
    return watchingWritesFromTheFile(target, batch -> sizes.add(batch.size()));
  }

  /** A store refusing (as bad data) every write of events that holds the one with that id. */
  private static Store refusing(Store target, String requestId) {
    return watchingWritesFromTheFile(
        target,
        batch -> {
          if (batch.stream().anyMatch(e -> e.requestId().equals(requestId))) {
            throw new IllegalArgumentException("value too long for the column");
          }
        });
  }

  /** The store, with {@code watch} shown each batch written from the file before the store. */
  private static Store watchingWritesFromTheFile(Store target, Consumer<List<RequestEvent>> watch) {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("appendFromFile")) {
                @SuppressWarnings("unchecked")
                List<RequestEvent> batch = (List<RequestEvent>) args[2];
                watch.accept(batch);
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void assertStoredOnce(int n) {
    List<RequestEvent> stored = memory.requestEvents(100_000);
    Map<String, Integer> counts = new HashMap<>();
    stored.forEach(e -> counts.merge(e.requestId(), 1, Integer::sum));
    assertThat(counts).as("each once").allSatisfy((id, c) -> assertThat(c).isEqualTo(1));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add("req-" + i);
    }
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  private List<Path> rotated() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("events-")).sorted().toList();
    }
  }
}
