package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-lines events file: one event per line, appended by the writer thread only. Every batch
 * is handed to the operating system when written (a crash of the process loses nothing written);
 * {@link #sync} forces it to disk, which the writer does every second.
 *
 * <p>Rotation: before a batch, once the file holds {@code maxSize} bytes or was started {@code
 * maxAge} ago, it is renamed {@code <name>-<UTC time of rotation>.<ext>} (e.g. {@code
 * events-20261128T224300Z.jsonl}) and a new file is started; a file may so exceed {@code maxSize}
 * by one batch. Rotated files older than the retention are deleted by {@link #deleteRotatedBefore}.
 */
final class JsonLinesFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFile.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path path;
  private final String base;
  private final String extension;
  private final long maxSize;
  private final Duration maxAge;
  private final Clock clock;
  private final EventJson.Lines lines = new EventJson.Lines();
  private @Nullable FileOutputStream file;
  private @Nullable OutputStream out;
  private long size;
  private Instant started = Instant.EPOCH;
  private boolean unsynced;

  JsonLinesFile(Path path, long maxSize, Duration maxAge, Clock clock) throws IOException {
    this.path = path.toAbsolutePath();
    String name = String.valueOf(this.path.getFileName());
    int dot = name.lastIndexOf('.');
    this.base = dot <= 0 ? name : name.substring(0, dot);
    this.extension = dot <= 0 ? "" : name.substring(dot);
    this.maxSize = maxSize;
    this.maxAge = maxAge;
    this.clock = clock;
    Path parent = this.path.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    cutTornLine(this.path);
    open();
  }

  /**
   * Removes the bytes after the file's last line break: a line a crash cut short, which no store
   * holds either (the store is written after the file). Left there, the next run's first line would
   * be glued to it and both lost to a reader.
   */
  private static void cutTornLine(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    long torn;
    try (LinesFromEnd lines = new LinesFromEnd(path)) {
      torn = lines.tornBytes();
    }
    if (torn == 0) {
      return;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - torn);
      channel.force(false);
    }
    LOG.warn(
        "the events file {} ended in a line cut short by a crash; its {} bytes are removed",
        path,
        torn);
  }

  private OutputStream open() throws IOException {
    FileOutputStream f = new FileOutputStream(path.toFile(), true);
    OutputStream o = new BufferedOutputStream(f, 1 << 16);
    file = f;
    out = o;
    size = f.getChannel().size();
    // a file kept from a previous run is as old as its first line, not as this process
    started =
        size == 0
            ? clock.instant()
            : Files.readAttributes(path, BasicFileAttributes.class).creationTime().toInstant();
    return o;
  }

  /** Appends the batch, one line per event, rotating first when the file is due. */
  void append(List<RequestEvent> batch) throws IOException {
    rotateIfDue();
    OutputStream o = out;
    if (o == null) {
      o = open(); // a rotation or a close failed half-way: start again
    }
    lines.clear();
    for (RequestEvent event : batch) {
      lines.add(event);
    }
    lines.writeTo(o);
    size += lines.length();
    o.flush();
    unsynced = true;
  }

  private void rotateIfDue() throws IOException {
    Instant now = clock.instant();
    if (size == 0 || (size < maxSize && now.isBefore(started.plus(maxAge)))) {
      return;
    }
    closeFile();
    Path rotated = rotatedName(now);
    Files.move(path, rotated, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("events file rotated to {}", rotated.getFileName());
    open();
  }

  private Path rotatedName(Instant now) {
    String stamp = STAMP.format(now);
    Path candidate = path.resolveSibling(base + "-" + stamp + extension);
    for (int i = 1; Files.exists(candidate); i++) {
      candidate = path.resolveSibling(base + "-" + stamp + "-" + i + extension);
    }
    return candidate;
  }

  /** Forces what was written to disk, if anything was since the last time. */
  void sync() throws IOException {
    FileOutputStream f = file;
    if (unsynced && f != null) {
      f.getChannel().force(false);
      unsynced = false;
    }
  }

  /** Deletes rotated files last written before {@code cutoff}; returns how many. */
  int deleteRotatedBefore(Instant cutoff) {
    Path dir = path.getParent();
    if (dir == null) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> rotated = Files.newDirectoryStream(dir, base + "-*" + extension)) {
      for (Path p : rotated) {
        if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
          Files.deleteIfExists(p);
          deleted++;
        }
      }
    } catch (IOException e) {
      LOG.warn("could not delete old events files in {}: {}", dir, e.toString());
    }
    return deleted;
  }

  Path path() {
    return path;
  }

  /** The file rotated last, or null when there is none. */
  @Nullable Path newestRotated() throws IOException {
    Path dir = path.getParent();
    if (dir == null) {
      return null;
    }
    Pattern name =
        Pattern.compile(
            Pattern.quote(base) + "-(\\d{8}T\\d{6}Z)(?:-(\\d{1,9}))?" + Pattern.quote(extension));
    Path newest = null;
    String newestKey = "";
    try (DirectoryStream<Path> rotated = Files.newDirectoryStream(dir, base + "-*" + extension)) {
      for (Path p : rotated) {
        Matcher m = name.matcher(String.valueOf(p.getFileName()));
        if (m.matches()) {
          // the time, then the number added when two rotations fell in one second
          String suffix = m.group(2) == null ? "" : m.group(2);
          String key =
              m.group(1)
                  + String.format(
                      Locale.ROOT, "%09d", suffix.isEmpty() ? 0 : Integer.parseInt(suffix));
          if (key.compareTo(newestKey) > 0) {
            newest = p;
            newestKey = key;
          }
        }
      }
    }
    return newest;
  }

  private void closeFile() throws IOException {
    OutputStream o = out;
    FileOutputStream f = file;
    out = null;
    file = null;
    if (o != null && f != null) {
      o.flush();
      FileChannel channel = f.getChannel();
      channel.force(false);
      o.close();
    }
  }

  /** Flushes, forces to disk and closes. */
  @Override
  public void close() throws IOException {
    closeFile();
  }
}
