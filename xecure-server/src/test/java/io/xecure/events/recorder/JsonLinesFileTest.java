package io.xecure.events.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(TestEvents.T0);

  @Test
  void appendsOneLinePerEventAndKeepsAFileAcrossReopening() throws Exception {
    Path path = dir.resolve("logs/events.jsonl");
    try (JsonLinesFile file = new JsonLinesFile(path, 1 << 20, Duration.ofDays(1), clock)) {
      file.append(TestEvents.queued(TestEvents.events(0, 3)));
      // handed to the OS at once: readable before any sync or close
      assertThat(Files.readAllLines(path)).hasSize(3);
      file.sync();
    }
    try (JsonLinesFile file = new JsonLinesFile(path, 1 << 20, Duration.ofDays(1), clock)) {
      file.append(TestEvents.queued(TestEvents.events(3, 5)));
    }
    assertThat(Files.readAllLines(path)).hasSize(5);
    assertThat(Files.readAllLines(path).get(4)).contains("\"request_id\":\"req-4\"");
  }

  @Test
  void itsSegmentsAreTheRotatedFilesByTimeThenNumberOfThatSecondThenTheCurrentOne()
      throws Exception {
    Path path = dir.resolve("events.jsonl");
    for (String name :
        List.of(
            "events-20261128T120000Z-2.jsonl",
            "events-20261128T120000Z.jsonl",
            "events-20261128T110000Z.jsonl",
            "events-20261128T120000Z-1.jsonl",
            "events-notes.jsonl")) {
      Files.writeString(dir.resolve(name), "");
    }
    try (JsonLinesFile file = new JsonLinesFile(path, 1 << 20, Duration.ofDays(1), clock)) {
      assertThat(file.segments())
          .extracting(s -> s.path().getFileName().toString())
          .containsExactly(
              "events-20261128T110000Z.jsonl",
              "events-20261128T120000Z.jsonl",
              "events-20261128T120000Z-1.jsonl",
              "events-20261128T120000Z-2.jsonl",
              "events.jsonl");
    }
  }

  @Test
  void aSegmentEndsAtItsLastWholeBatchAndFollowsItsRotation() throws Exception {
    Path path = dir.resolve("events.jsonl");
    try (JsonLinesFile file = new JsonLinesFile(path, 1 << 20, Duration.ofHours(1), clock)) {
      JsonLinesFile.Segment first = file.segments().get(0);
      file.append(TestEvents.queued(TestEvents.events(0, 3)));
      assertThat(first.end()).isEqualTo(Files.size(path));
      assertThat(first.closed()).isFalse();

      clock.advance(Duration.ofHours(1));
      file.append(TestEvents.queued(TestEvents.events(3, 4)));
      assertThat(first.closed()).isTrue();
      assertThat(first.path()).isEqualTo(rotated().get(0));
      assertThat(first.end()).isEqualTo(Files.size(first.path()));
      assertThat(file.next(first)).isNotNull();
      assertThat(file.bytesAfter(first, 0)).isEqualTo(first.end() + Files.size(path));

      // kept past the retention until its reader is done with it
      Files.setLastModifiedTime(
          first.path(), FileTime.from(clock.instant().minus(Duration.ofDays(31))));
      assertThat(file.deleteRotatedBefore(clock.instant().minus(Duration.ofDays(30)))).isZero();
      first.markIndexed();
      assertThat(file.deleteRotatedBefore(clock.instant().minus(Duration.ofDays(30)))).isOne();
    }
    assertThat(rotated()).isEmpty();
  }

  @Test
  void aLineACrashCutShortIsRemovedAtTheNextOpenHoweverLong() throws Exception {
    Path path = dir.resolve("events.jsonl");
    for (int torn : new int[] {30, 70_000}) { // within the last block read back, and across it
      Files.deleteIfExists(path);
      try (JsonLinesFile file = new JsonLinesFile(path, 1 << 30, Duration.ofDays(1), clock)) {
        file.append(TestEvents.queued(TestEvents.events(0, 300))); // ~100 KB of whole lines
      }
      long whole = Files.size(path);
      Files.writeString(path, "{\"time\":\"" + "x".repeat(torn), StandardOpenOption.APPEND);

      try (JsonLinesFile file = new JsonLinesFile(path, 1 << 30, Duration.ofDays(1), clock)) {
        assertThat(Files.size(path)).as("cut back to its last whole line").isEqualTo(whole);
        file.append(TestEvents.queued(TestEvents.events(300, 301)));
      }
      List<String> lines = Files.readAllLines(path);
      assertThat(lines).hasSize(301);
      assertThat(EventJson.parse(lines.get(300)).requestId()).isEqualTo("req-300");
    }
  }

  @Test
  void rotatesBySizeBeforeTheBatchThatFindsItFull() throws Exception {
    Path path = dir.resolve("events.jsonl");
    try (JsonLinesFile file = new JsonLinesFile(path, 1000, Duration.ofDays(1), clock)) {
      for (int i = 0; i < 10; i++) {
        file.append(TestEvents.queued(TestEvents.events(i * 2, i * 2 + 2)));
        clock.advance(Duration.ofSeconds(1));
      }
    }
    List<Path> rotated = rotated();
    assertThat(rotated).isNotEmpty();
    assertThat(rotated.get(0).getFileName().toString()).matches("events-20261128T\\d{6}Z\\.jsonl");
    long lines = Files.readAllLines(path).size();
    for (Path p : rotated) {
      lines += Files.readAllLines(p).size();
      // at most one batch beyond the limit
      assertThat(Files.size(p)).isLessThan(1000 + 2 * 400);
    }
    assertThat(lines).isEqualTo(20);
  }

  @Test
  void rotatesByAgeAndDeletesRotatedFilesPastRetention() throws Exception {
    Path path = dir.resolve("events.jsonl");
    try (JsonLinesFile file = new JsonLinesFile(path, 1 << 20, Duration.ofHours(1), clock)) {
      file.append(TestEvents.queued(TestEvents.events(0, 1)));
      clock.advance(Duration.ofMinutes(59));
      file.append(TestEvents.queued(TestEvents.events(1, 2)));
      assertThat(rotated()).isEmpty();
      clock.advance(Duration.ofMinutes(1));
      file.append(TestEvents.queued(TestEvents.events(2, 3)));
      assertThat(rotated()).hasSize(1);
      assertThat(Files.readAllLines(rotated().get(0))).hasSize(2);
      assertThat(Files.readAllLines(path)).hasSize(1);

      Files.setLastModifiedTime(
          rotated().get(0), FileTime.from(clock.instant().minus(Duration.ofDays(31))));
      file.segments().get(0).markIndexed();
      assertThat(file.deleteRotatedBefore(clock.instant().minus(Duration.ofDays(30)))).isEqualTo(1);
    }
    assertThat(rotated()).isEmpty();
    assertThat(path).exists();
  }

  private List<Path> rotated() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("events-")).sorted().toList();
    }
  }
}
