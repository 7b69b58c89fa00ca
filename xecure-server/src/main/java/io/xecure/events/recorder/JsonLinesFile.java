package io.xecure.events.recorder;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
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
 *
 * <p>For a reader behind the writer ({@link FileIndexer}), the files are {@link Segment}s, oldest
 * first: the rotated files found at start, then each file the writer starts. A segment tells how
 * far it holds whole lines, whether the writer is done with it, and follows its renaming. A rotated
 * file is deleted only once its reader marked it indexed ({@link Segment#markIndexed}).
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
  // oldest first; the last is the one being written. Guarded by this, as are renames: a reader
  // opens a segment by its path under the same lock
  private final List<Segment> segments = new ArrayList<>();
  private Segment current;
  private @Nullable FileOutputStream file;
  private @Nullable OutputStream out;
  private long size;
  private Instant started = Instant.EPOCH;
  private boolean unsynced;

  /**
   * One events file as a reader sees it. Its {@link #end} moves on after each batch is written
   * whole, so a reader stopping there never reads half a line; once {@link #closed}, the end is
   * final. Its path changes when it is rotated.
   */
  static final class Segment {
    private volatile Path path;
    private volatile long end;
    private volatile boolean closed;
    private volatile boolean indexed;
    private volatile @Nullable String id;

    private Segment(Path path, long end, boolean closed) {
      this.path = path;
      this.end = end;
      this.closed = closed;
    }

    /** Bytes of whole lines written so far. */
    long end() {
      return end;
    }

    /** No more lines will be written: rotated, or the writer closed it. */
    boolean closed() {
      return closed;
    }

    /** What a reader found it to be named by: set once ({@link FileIndexer}). */
    @Nullable String id() {
      return id;
    }

    void id(String id) {
      this.id = id;
    }

    /** The reader stored all of it: retention may delete it. */
    void markIndexed() {
      indexed = true;
    }

    Path path() {
      return path;
    }

    @Override
    public String toString() {
      return String.valueOf(path.getFileName());
    }
  }

  /** Opens the file, appending to what a previous run left. */
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
    for (Path rotated : rotatedOldestFirst()) {
      segments.add(new Segment(rotated, Files.size(rotated), true));
    }
    open();
    this.current = new Segment(this.path, size, false);
    segments.add(current);
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
    try (FileChannel channel =
        FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      long end = afterLastLineBreak(channel, size);
      if (end == size) {
        return;
      }
      channel.truncate(end);
      channel.force(false);
      LOG.warn(
          "the events file {} ended in a line cut short by a crash; its {} bytes are removed",
          path,
          size - end);
    }
  }

  /**
   * The offset just after the last {@code \n} before {@code size}, or 0; read back a block at a
   * time.
   */
  private static long afterLastLineBreak(FileChannel channel, long size) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(1 << 16);
    for (long blockEnd = size; blockEnd > 0; ) {
      long from = Math.max(0, blockEnd - block.capacity());
      block.clear().limit((int) (blockEnd - from));
      while (block.hasRemaining() && channel.read(block, from + block.position()) >= 0) {
        // read on
      }
      for (int i = block.position() - 1; i >= 0; i--) {
        if (block.get(i) == '\n') {
          return from + i + 1;
        }
      }
      blockEnd = from;
    }
    return 0;
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

  /**
   * Appends the batch, one line per event, rotating first when the file is due. When the write
   * fails, what it left of the batch is cut off again: the file holds whole batches only, so its
   * reader's offsets stay those of whole lines.
   */
  void append(List<QueuedEvent> batch) throws IOException {
    rotateIfDue();
    OutputStream o = out;
    if (o == null) {
      o = open(); // a rotation or a close failed half-way: start again
    }
    lines.clear();
    for (QueuedEvent event : batch) {
      lines.add(event);
    }
    try {
      lines.writeTo(o);
      o.flush();
    } catch (IOException e) {
      cutBackTo(size);
      throw e;
    }
    size += lines.length();
    current.end = size;
    unsynced = true;
  }

  /** Drops what a failed write left after {@code length} bytes, and the buffer's rest with it. */
  private void cutBackTo(long length) {
    FileOutputStream f = file;
    out = null;
    file = null;
    if (f == null) {
      return;
    }
    try (f) {
      f.getChannel().truncate(length);
    } catch (IOException e) {
      LOG.warn("could not cut {} back to its last whole batch: {}", path, e.toString());
    }
  }

  private void rotateIfDue() throws IOException {
    Instant now = clock.instant();
    if (size == 0 || (size < maxSize && now.isBefore(started.plus(maxAge)))) {
      return;
    }
    closeFile();
    Path rotated = rotatedName(now);
    synchronized (this) {
      Files.move(path, rotated, StandardCopyOption.ATOMIC_MOVE);
      current.path = rotated;
      current.closed = true;
      LOG.info("events file rotated to {}", rotated.getFileName());
      open();
      current = new Segment(path, size, false);
      segments.add(current);
    }
  }

  /** Opens {@code segment} for reading: under the lock its path is not renamed meanwhile. */
  synchronized FileChannel openForReading(Segment segment) throws IOException {
    return FileChannel.open(segment.path, StandardOpenOption.READ);
  }

  /** Every segment, oldest first. */
  synchronized List<Segment> segments() {
    return new ArrayList<>(segments);
  }

  /** The segment after {@code segment}, or null when it is the last. */
  synchronized @Nullable Segment next(Segment segment) {
    int i = segments.indexOf(segment);
    return i < 0 || i + 1 >= segments.size() ? null : segments.get(i + 1);
  }

  /**
   * Bytes written and not yet read: from {@code offset} in {@code segment} to the end of the last
   * one.
   */
  synchronized long bytesAfter(Segment segment, long offset) {
    long behind = 0;
    boolean after = false;
    for (Segment s : segments) {
      if (s == segment) {
        after = true;
        behind += Math.max(0, s.end - offset);
      } else if (after) {
        behind += s.end;
      }
    }
    return behind;
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

  /**
   * Deletes rotated files last written before {@code cutoff} that the reader stored whole; returns
   * how many.
   */
  synchronized int deleteRotatedBefore(Instant cutoff) {
    int deleted = 0;
    for (Iterator<Segment> i = segments.iterator(); i.hasNext(); ) {
      Segment s = i.next();
      if (s == current || !s.indexed) {
        continue;
      }
      try {
        if (!Files.exists(s.path)) {
          i.remove(); // deleted by someone else
        } else if (Files.getLastModifiedTime(s.path).toInstant().isBefore(cutoff)) {
          Files.delete(s.path);
          i.remove();
          deleted++;
        }
      } catch (IOException e) {
        LOG.warn("could not delete the old events file {}: {}", s.path, e.toString());
      }
    }
    return deleted;
  }

  Path path() {
    return path;
  }

  /** The rotated files in the directory, oldest first. */
  private List<Path> rotatedOldestFirst() throws IOException {
    Path dir = path.getParent();
    if (dir == null) {
      return List.of();
    }
    Pattern name =
        Pattern.compile(
            Pattern.quote(base) + "-(\\d{8}T\\d{6}Z)(?:-(\\d{1,9}))?" + Pattern.quote(extension));
    TreeMap<String, Path> byAge = new TreeMap<>();
    try (DirectoryStream<Path> rotated = Files.newDirectoryStream(dir, base + "-*" + extension)) {
      for (Path p : rotated) {
        Matcher m = name.matcher(String.valueOf(p.getFileName()));
        if (m.matches()) {
          // the time, then the number added when two rotations fell in one second
          String suffix = m.group(2) == null ? "" : m.group(2);
          byAge.put(
              m.group(1)
                  + String.format(
                      Locale.ROOT, "%09d", suffix.isEmpty() ? 0 : Integer.parseInt(suffix)),
              p);
        }
      }
    }
    return new ArrayList<>(byAge.values());
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

  /** Flushes, forces to disk and closes; the last segment is then closed to its readers too. */
  @Override
  public void close() throws IOException {
    try {
      closeFile();
    } finally {
      current.closed = true;
    }
  }
}
