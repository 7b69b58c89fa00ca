package io.xecure.events.recorder;

import static io.xecure.events.recorder.TestEvents.events;
import static io.xecure.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.xecure.config.EventsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.testing.MemoryStore;
import io.xecure.testing.SwitchableStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The store lacks the last events the file holds, as after a process killed before the store kept
 * its last commits: the next start stores them, once, reading only the file's tail.
 */
class ReconcilerTest {
  @TempDir Path dir;
  final MemoryStore memory = new MemoryStore();
  final SwitchableStore store = SwitchableStore.around(memory);
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  Logger root;

  @BeforeEach
  void captureLogs() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.setContext(root.getLoggerContext());
    log.start();
    root.addAppender(log);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(log);
  }

  @Test
  void theNextStartStoresWhatTheFileHoldsAndTheStoreLacksOnce() throws Exception {
    List<RequestEvent> all = events(0, 2_500);
    writeFile(eventsFile());
    append(eventsFile(), all);
    storeBatches(all.subList(0, 2_140)); // the last 360 were lost with the store's last commits

    try (EventRecorder recorder = recorder()) {
      assertThat(counts()).hasSize(2_500).allSatisfy((id, n) -> assertThat(n).isOne());
      assertThat(recorder.written()).isEqualTo(360);
    }
    assertThat(warnings()).isEmpty();

    // a second start finds nothing to do and stores nothing twice
    try (EventRecorder recorder = recorder()) {
      assertThat(recorder.written()).isZero();
    }
    assertThat(memory.requestEvents(10_000)).hasSize(2_500);
  }

  @Test
  void aTornLastLineIsSkippedWithAWarningAndCutFromTheFile() throws Exception {
    writeFile(eventsFile());
    append(eventsFile(), events(0, 100));
    String torn = EventJson.line(TestEvents.event(100));
    Files.writeString(
        eventsFile(),
        torn.substring(0, torn.length() / 2),
        StandardOpenOption.APPEND); // killed here
    storeBatches(events(0, 60));

    try (EventRecorder recorder = recorder()) {
      assertThat(counts()).hasSize(100).allSatisfy((id, n) -> assertThat(n).isOne());
      recorder.record(TestEvents.event(101));
      until("the next event is written", () -> recorder.written() == 41);
    }

    assertThat(warnings()).anyMatch(w -> w.contains("cut short by a crash"));
    List<String> lines = Files.readAllLines(eventsFile());
    assertThat(lines).hasSize(101);
    for (String line : lines) {
      EventJson.parse(line); // every line is whole: the next run's first line was not glued on
    }
    assertThat(lines.get(100)).contains("\"req-101\"");
  }

  @Test
  void theWalkGoesBackIntoTheFileRotatedLastAndNoFurther() throws Exception {
    Path rotated = dir.resolve("events-20261128T120000Z.jsonl");
    Path older = dir.resolve("events-20261128T110000Z.jsonl");
    writeFile(older);
    append(older, events(0, 100)); // missing from the store (say, deleted by hand): not read
    writeFile(rotated);
    append(rotated, events(100, 1_000));
    writeFile(eventsFile());
    append(eventsFile(), events(1_000, 1_050));
    storeBatches(events(100, 700)); // lacks 300 of the rotated file and the current file's 50

    int stored;
    try (JsonLinesFile file = jsonLinesFile()) {
      assertThat(file.newestRotated()).isEqualTo(rotated);
      stored = reconciler(100).run(file.path(), file.newestRotated());
    }

    assertThat(stored).isEqualTo(350);
    assertThat(counts())
        .hasSize(950)
        .allSatisfy((id, n) -> assertThat(n).isOne())
        .containsKeys("req-700", "req-999", "req-1000", "req-1049")
        .doesNotContainKey("req-99");
  }

  @Test
  void aRequestAnsweredLateIsFoundAmongLaterOnes() throws Exception {
    // its time is its start, 30 s before the events written around it
    RequestEvent slow = TestEvents.event(-30_000);
    List<RequestEvent> file = new ArrayList<>(events(0, 150));
    file.add(100, slow);
    writeFile(eventsFile());
    append(eventsFile(), file);
    storeBatches(file.subList(0, 100));

    try (JsonLinesFile out = jsonLinesFile()) {
      assertThat(reconciler(100).run(out.path(), null)).isEqualTo(51);
    }

    assertThat(counts())
        .hasSize(151)
        .allSatisfy((id, n) -> assertThat(n).isOne())
        .containsKey("req--30000");
  }

  @Test
  void eventsWaitingInTheSpoolAreLeftToItAndStoredOnce() throws Exception {
    writeFile(eventsFile());
    append(eventsFile(), events(0, 300));
    storeBatches(events(0, 100));
    // the store was down for 100..199 before the crash: spooled, not yet delivered
    new Spool(dir.resolve("spool"))
        .write(new BatchIds().next(System.currentTimeMillis()), events(100, 200));

    try (EventRecorder recorder = recorder()) {
      until("the spool is delivered", () -> recorder.spoolBacklog() == 0);
    }

    assertThat(counts()).hasSize(300).allSatisfy((id, n) -> assertThat(n).isOne());
  }

  @Test
  void aStoreUnreachableAtStartIsWarnedAboutAndTheRecorderStartsAnyway() throws Exception {
    writeFile(eventsFile());
    append(eventsFile(), events(0, 10));
    store.down(true);

    try (EventRecorder recorder = recorder()) {
      assertThat(warnings()).anyMatch(w -> w.contains("could not compare the events file"));
      store.down(false);
      recorder.record(TestEvents.event(10));
      until("the next event is written", () -> recorder.written() == 1);
    }
  }

  @Test
  void unreadableLinesAreSkippedWithAWarning() throws Exception {
    writeFile(eventsFile());
    append(eventsFile(), events(0, 5));
    Files.writeString(eventsFile(), "not json\n", StandardOpenOption.APPEND);
    append(eventsFile(), events(5, 10));

    try (JsonLinesFile file = jsonLinesFile()) {
      assertThat(reconciler(100).run(file.path(), null)).isEqualTo(10);
    }

    assertThat(counts()).hasSize(10);
    assertThat(warnings()).anyMatch(w -> w.contains("not a request event"));
  }

  private EventRecorder recorder() throws IOException {
    return new EventRecorder(
        store.store(),
        new EventsConfig(true, eventsFile().toString())
            .withSpoolDir(dir.resolve("spool").toString()),
        Clock.systemUTC(),
        EventRecorderTest.FAST);
  }

  private Reconciler reconciler(int block) throws IOException {
    StoreWriter writer =
        new StoreWriter(
            store.store(),
            new Spool(dir.resolve("spool")),
            Clock.systemUTC(),
            System::nanoTime,
            Duration.ofMillis(10).toNanos(),
            Duration.ofMillis(50).toNanos());
    return new Reconciler(
        store.store(), new Spool(dir.resolve("spool")), writer, 100, block, 100_000);
  }

  private JsonLinesFile jsonLinesFile() throws IOException {
    return new JsonLinesFile(eventsFile(), Long.MAX_VALUE, Duration.ofDays(1), Clock.systemUTC());
  }

  private Path eventsFile() {
    return dir.resolve("events.jsonl");
  }

  private static void writeFile(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(file);
  }

  /** As the recorder writes them: batches of 100 lines. */
  private static void append(Path file, List<RequestEvent> batch) throws IOException {
    EventJson.Lines lines = new EventJson.Lines();
    batch.forEach(lines::add);
    Files.write(file, lines.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
  }

  private void storeBatches(List<RequestEvent> events) {
    BatchIds ids = new BatchIds();
    for (int from = 0; from < events.size(); from += 100) {
      memory.appendRequestEvents(
          ids.next(System.currentTimeMillis()),
          events.subList(from, Math.min(events.size(), from + 100)));
    }
  }

  /** How often each request id is in the store. */
  private Map<String, Integer> counts() {
    Map<String, Integer> counts = new HashMap<>();
    memory.requestEvents(100_000).forEach(e -> counts.merge(e.requestId(), 1, Integer::sum));
    return counts;
  }

  private List<String> warnings() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
