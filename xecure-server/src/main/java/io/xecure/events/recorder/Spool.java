package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches waiting for the store, one file each, in the spool directory: {@code b<epoch
 * millis>-<sequence>-n<events>.jsonl}, the events as in the events file.
 *
 * <p>A file is written as {@code .tmp}, forced to disk, then renamed, and the directory is forced:
 * a file with the final name is always complete. A {@code .tmp} left by a crash is deleted at the
 * next start (its events were not yet acknowledged to anyone; they are in the events file). Files
 * are delivered oldest first and deleted only once the store holds their events. A file the store
 * refuses (bad data) or that cannot be read is renamed {@code .rejected} for an operator to look
 * at, and never retried.
 */
final class Spool {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final Pattern NAME =
      Pattern.compile("b(" + BatchIds.PATTERN + ")-n(\\d{1,9})\\.jsonl");

  /** A spooled batch. */
  record Batch(Path file, String id, int events) {
    /** When it was written: its id starts with that time ({@link BatchIds}). */
    long writtenMillis() {
      return Long.parseLong(id.substring(0, 13));
    }
  }

  private final Path dir;
  // name order is age order: batch ids start with a fixed-width time
  private final TreeMap<String, Batch> pending = new TreeMap<>();
  // read by metrics on other threads; written by the writer thread only
  private final AtomicLong backlog = new AtomicLong();

  /** Opens the spool, finding the batches a previous run left; creates nothing yet. */
  Spool(Path dir) throws IOException {
    this.dir = dir.toAbsolutePath();
    if (!Files.isDirectory(this.dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(this.dir)) {
      for (Path file : files) {
        String name = String.valueOf(file.getFileName());
        Matcher m = NAME.matcher(name);
        if (m.matches()) {
          add(new Batch(file, m.group(1), Integer.parseInt(m.group(2))));
        } else if (name.endsWith(".jsonl.tmp")) {
          Files.deleteIfExists(file);
        }
      }
    }
    if (!pending.isEmpty()) {
      LOG.info("{} spooled events in {} batches to deliver from {}", backlog, pending.size(), dir);
    }
  }

  private void add(Batch batch) {
    pending.put(String.valueOf(batch.file().getFileName()), batch);
    backlog.addAndGet(batch.events());
  }

  /** Writes the batch durably; when this returns, the events survive a crash. */
  Batch write(String batchId, List<RequestEvent> events) throws IOException {
    Files.createDirectories(dir);
    String name = "b" + batchId + "-n" + events.size() + ".jsonl";
    Path file = dir.resolve(name);
    Path tmp = dir.resolve(name + ".tmp");
    EventJson.Lines lines = new EventJson.Lines();
    events.forEach(lines::add);
    ByteBuffer bytes = lines.asByteBuffer();
    try (FileChannel channel =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory();
    Batch batch = new Batch(file, batchId, events.size());
    add(batch);
    return batch;
  }

  /** Makes the rename durable; not every platform can open a directory, which is then skipped. */
  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory; its renames are durable on their own
    }
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** Every batch waiting, the newest first. */
  List<Batch> newestFirst() {
    return new ArrayList<>(pending.descendingMap().values());
  }

  /** The oldest batch; the spool must not be empty. */
  Batch oldest() {
    return pending.firstEntry().getValue();
  }

  /** Reads a spooled batch back. */
  List<RequestEvent> read(Batch batch) throws IOException {
    List<RequestEvent> events = new ArrayList<>(batch.events());
    try (BufferedReader in = Files.newBufferedReader(batch.file(), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          events.add(EventJson.parse(line));
        }
      }
    }
    return events;
  }

  /**
   * Forgets a delivered batch. Should its file stay (the delete failed), it is delivered again at
   * the next start, which the store ignores.
   */
  void delete(Batch batch) {
    try {
      Files.deleteIfExists(batch.file());
    } catch (IOException e) {
      LOG.warn("could not delete the delivered spool file {}: {}", batch.file(), e.toString());
    } finally {
      forget(batch);
    }
  }

  /** Sets a batch aside for good: it is never delivered again. */
  void reject(Batch batch) {
    try {
      Files.move(
          batch.file(),
          batch.file().resolveSibling(batch.file().getFileName() + ".rejected"),
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("could not set aside the spool file {}: {}", batch.file(), e.toString());
    }
    forget(batch);
  }

  private void forget(Batch batch) {
    if (pending.remove(String.valueOf(batch.file().getFileName())) != null) {
      backlog.addAndGet(-batch.events());
    }
  }

  /** Events waiting in the spool. */
  long backlog() {
    return backlog.get();
  }

  Path dir() {
    return dir;
  }
}
