package io.xecure.events.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  @Test
  void batchesComeBackOldestFirstAndSurviveAReopen() throws Exception {
    Path spoolDir = dir.resolve("spool");
    Spool spool = new Spool(spoolDir);
    assertThat(spool.isEmpty()).isTrue();
    assertThat(spoolDir).doesNotExist(); // created only when first needed

    BatchIds ids = new BatchIds();
    spool.write(ids.next(2_000), TestEvents.events(3, 5));
    spool.write(ids.next(1_000), TestEvents.events(0, 3));
    assertThat(spool.backlog()).isEqualTo(5);

    Spool reopened = new Spool(spoolDir);
    assertThat(reopened.backlog()).isEqualTo(5);
    Spool.Batch oldest = reopened.oldest(); // by time, not by the order written
    assertThat(reopened.read(oldest)).isEqualTo(TestEvents.events(0, 3));
    reopened.delete(oldest);
    assertThat(reopened.read(reopened.oldest())).isEqualTo(TestEvents.events(3, 5));
    assertThat(reopened.backlog()).isEqualTo(2);
    assertThat(files(spoolDir)).hasSize(1);
  }

  @Test
  void anUnfinishedWriteIsDiscardedAndARejectedBatchSetAside() throws Exception {
    Path spoolDir = Files.createDirectories(dir.resolve("spool"));
    Files.writeString(
        spoolDir.resolve("b0000000001000-abcdefgh-000000001-n3.jsonl.tmp"), "{\"time\":");
    Files.writeString(spoolDir.resolve("b0000000002000-abcdefgh-000000001-n1.jsonl"), "not json\n");

    Spool spool = new Spool(spoolDir);
    assertThat(spool.backlog()).isEqualTo(1);
    Spool.Batch corrupt = spool.oldest();
    spool.reject(corrupt);

    assertThat(spool.isEmpty()).isTrue();
    assertThat(files(spoolDir))
        .containsExactly("b0000000002000-abcdefgh-000000001-n1.jsonl.rejected");
    assertThat(new Spool(spoolDir).isEmpty()).isTrue();
  }

  private static java.util.List<String> files(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
