package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import io.xecure.events.recorder.JsonLinesFile.Segment;
import io.xecure.store.EventStore;
import io.xecure.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the events of the events file in the store, reading the file behind its writer: the file
 * is the store's queue (docs/events-indexer.md). The writer thread only appends lines; this class
 * reads them back, a chunk at a time, and appends each chunk to the store together with how far the
 * file is stored ({@link EventStore#appendFromFile}), in the same transaction. After a crash it
 * starts again exactly where the store's last commit left it: the store then holds the file's
 * events, each once, however far behind it was.
 *
 * <p><b>Two threads, one at a time.</b> The work is done by a thread in Linux's idle scheduling
 * class ({@link LowPriority}): while the event loops keep the CPUs busy, the store mostly waits (it
 * gets the idle class's small share, in slices of up to a timer tick) and the requests are served,
 * and the store catches up when the load eases. Once the store is more than {@code lagLimit} bytes
 * of file or {@code maxLag} of time behind, a second thread, at normal priority, takes the work
 * over until it is back under half of both ({@link #urgent}): under load that never eases, the
 * store stays that close and recording costs what it would cost without the file; and on a machine
 * kept busy by something else (where the idle class may not run for minutes), light traffic's
 * events are still listed within about {@code maxLag}. A lock lets one of them work at a time; each
 * step is one chunk. The start (resuming, and reading until the first commit) is the second
 * thread's too ({@link #startDone}): the idle class cannot be raised while it holds the lock.
 *
 * <p><b>Which file is which.</b> A file is named in the store by a digest of its first line (a
 * request's time, id and node: no two files share it), which a rotation does not change. At start
 * the newest file the store knows is read on from the offset the store holds, and every file after
 * it from its start. When the store knows none of them (a new store, or one an earlier version
 * wrote directly), the current file is read from its start, unless the store already holds its
 * first event: then from its end.
 *
 * <p><b>Failures.</b> When the store is unreachable the reading stops where the store's last commit
 * left it and is tried again after a back-off; the file holds everything meanwhile. When the store
 * refuses a chunk for another reason (bad data), the chunk is stored again one event at a time and
 * the one it refuses is skipped and counted as dropped. A line that is not an event is skipped,
 * counted, and warned about (the first few).
 */
final class FileIndexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileIndexer.class);
  private static final int BUFFER = 1 << 20;

  /**
   * At most this many lines a chunk in the idle class, whatever the writer's batch. A chunk's
   * events are objects on the heap until the store has them, and the thread in the idle class can
   * be kept off the CPU for seconds in the middle of one: every young collection meanwhile copies
   * them, and after fifteen they are promoted. At 4,096 lines that was 2-2.5 MB copied at every
   * collection under load and promoted every few seconds; at 1,024 it is a quarter of that
   * (bench/results/stops-2026-12-06.md). The thread at normal priority, which is not kept waiting,
   * reads the writer's batch at a time: fewer chunks, less of the store's cost per chunk.
   */
  static final int IDLE_CHUNK_LINES = 1_024;

  private static final int ID_BYTES = 1 << 16;
  private static final int WARNINGS = 10;

  private final EventStore store;
  private final JsonLinesFile file;
  private final EventRecorder.Tuning tuning;
  private final long maxLagMillis;
  private final Clock clock;
  private final LongSupplier nanos;
  private final Retention retention;
  private final ReentrantLock lock = new ReentrantLock();
  // the files as they were at start: where to resume is looked for among these
  private final List<Segment> atStart;
  private final long lastEndAtStart;
  private final Thread low;
  private final Thread catchUp;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  // guarded by lock
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private final EventJson.Reader reader = new EventJson.Reader();
  private boolean resumed;
  private @Nullable FileChannel channel;
  private int grouped; // events appended to the store's open group
  private long groupStarted;
  private long lastAppendedMillis;
  private int pass; // events appended in the last pass: from the first after a catch-up to the next
  private boolean passEnded; // the reader caught up since the last chunk with events
  private long carefulUntil = -1; // after a refusal: one event per commit up to this offset
  private final Backoff backoff;
  private int unreadable;

  // written under lock, read by the lag's readers
  private volatile @Nullable Segment reading;
  private volatile long appended; // offset in reading up to which events are appended
  private volatile long committed; // offset in reading up to which the store committed
  // the store lacks no event recorded before this: the last committed event's time, or when the
  // store last held everything the file did
  private volatile long storedUntilMillis;

  // the thread at normal priority does the work: from the start until startDone, which warms what
  // the idle-class thread runs, and then as urgent() says
  private volatile boolean urgent = true;
  private volatile boolean closing;
  private volatile boolean stopped;

  FileIndexer(
      EventStore store,
      JsonLinesFile file,
      Duration retention,
      Duration maxLag,
      EventRecorder.Tuning tuning,
      Clock clock,
      LongSupplier nanos) {
    this.store = store;
    this.file = file;
    this.tuning = tuning;
    this.maxLagMillis = maxLag.toMillis();
    this.clock = clock;
    this.nanos = nanos;
    this.backoff = new Backoff(nanos, tuning.minBackoff().toNanos(), tuning.maxBackoff().toNanos());
    this.retention = new Retention(store, file, retention, clock, nanos, () -> !backoff.down());
    this.storedUntilMillis = clock.millis();
    this.atStart = file.segments();
    this.lastEndAtStart = atStart.get(atStart.size() - 1).end();
    this.low = new Thread(this::runLowered, "xecure-index");
    this.catchUp = new Thread(this::runCatchingUp, "xecure-index-catch-up");
    low.setDaemon(true);
    catchUp.setDaemon(true);
    low.start();
    catchUp.start();
  }

  /**
   * Whether the normal-priority thread should do the work: from above {@code limit} bytes or {@code
   * maxLagMillis} behind until back under half of both.
   */
  static boolean urgent(
      long behind, long limit, long lagMillis, long maxLagMillis, boolean wasUrgent) {
    return wasUrgent
        ? behind > limit / 2 || lagMillis > maxLagMillis / 2
        : behind > limit || lagMillis > maxLagMillis;
  }

  private void runLowered() {
    String notLowered = LowPriority.lowerCurrentThread();
    if (notLowered != null) {
      LOG.info("the event indexer is not in the idle scheduling class: {}", notLowered);
    }
    while (!stopped) {
      boolean more = false;
      if (!urgent) {
        lock.lock();
        try {
          more = step(Math.min(tuning.batch(), IDLE_CHUNK_LINES));
        } finally {
          lock.unlock();
        }
      }
      if (!more && !pause()) {
        return;
      }
    }
  }

  private void runCatchingUp() {
    boolean starting = true; // see urgent's initial value
    boolean started = false; // the start's work done in the last turn: the hand-over is not news
    while (!stopped) {
      boolean was = urgent;
      long behind = behind();
      long lag = lagMillis();
      boolean now =
          closing || starting || urgent(behind, tuning.lagLimit(), lag, maxLagMillis, was);
      if (now != was) {
        urgent = now;
        if (!closing && !started) {
          LOG.info(
              "the event store is {} MiB of events file and {} s behind: storing at {} priority",
              behind >> 20,
              lag / 1_000,
              now ? "normal" : "low");
        }
      }
      started = false;
      boolean more = false;
      if (now) {
        lock.lock();
        try {
          more = step(tuning.batch());
          started = starting && startDone(more);
          starting = starting && !started;
          if (closing && !more && caughtUp()) {
            commit();
            if (committed == appended && caughtUp()) {
              return; // everything the file holds is stored
            }
          }
          if (closing && backoff.down()) {
            LOG.info("the store is unreachable: the next start stores what it lacks of the file");
            return;
          }
        } finally {
          lock.unlock();
        }
      }
      if (!more && !pause()) {
        return;
      }
    }
  }

  /**
   * Whether the start's work is done, after a step of the thread at normal priority: the store
   * resumed, what it read committed, and either something committed or nothing more to read. Until
   * then the idle-class thread waits: its first steps run cold code (class loading, the
   * interpreter, the store's first appends and commit), tens of milliseconds of CPU that, on a busy
   * machine, the idle class's share stretches into seconds, all of them holding the lock that the
   * thread at normal priority needs to take over (2-10 s under two {@code yes} processes, and once
   * in the test suite).
   */
  private boolean startDone(boolean more) {
    return resumed && committed == appended && (written.get() > 0 || !more);
  }

  /** Sleeps a poll interval; false when interrupted (closed). */
  private boolean pause() {
    try {
      TimeUnit.NANOSECONDS.sleep(tuning.drainInterval().toNanos() / 2);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether everything written is appended: the last segment, closed, read to its end. */
  private boolean caughtUp() {
    Segment s = reading;
    return resumed && (s == null || (s.closed() && appended >= s.end() && file.next(s) == null));
  }

  /**
   * One chunk of work: resume, move to the next file, or store up to {@code lines} next lines.
   * Returns whether there may be more to do at once.
   */
  private boolean step(int lines) {
    if (!backoff.attemptDue()) {
      return false;
    }
    try {
      if (!resumed) {
        resume();
        resumed = true;
        return true;
      }
      Segment segment = reading;
      if (segment == null) {
        return false;
      }
      if (retention.due()) {
        commit();
        retention.runIfDue();
      }
      long asOf = clock.millis(); // before the end: the file held no more than that then
      boolean closed = segment.closed(); // before the end: once closed, the end read is final
      long end = segment.end();
      if (appended >= end) {
        if (closed) {
          Segment next = file.next(segment);
          if (next != null) {
            commit();
            if (committed < end) {
              return false; // the commit failed: read again from the last one
            }
            segment.markIndexed();
            startOn(next, 0);
            return true;
          }
        }
        commitIfDue(true);
        if (committed == appended) {
          storedUntilMillis = asOf; // the store holds everything the file held then
        }
        return false;
      }
      String id = idOf(segment);
      if (id == null) {
        return false; // its first line is not whole yet
      }
      Chunk chunk = read(segment, end, carefulUntil >= 0 ? 1 : lines);
      append(id, chunk, end);
      return true;
    } catch (StoreUnavailableException e) {
      rollBack();
      down(e);
      return false;
    } catch (IOException e) {
      LOG.warn("could not read the events file: {}", e.toString());
      backoff.failedLong(); // tried again after the longest back-off
      return false;
    } catch (RuntimeException e) {
      LOG.error("the event indexer failed; trying again after a pause", e);
      rollBack();
      backoff.failedLong(); // tried again after the longest back-off
      return false;
    }
  }

  /**
   * Appends a chunk read up to at most {@code end}, the segment's end when the step began: the pass
   * ends when the chunk reached it. Not the end after the store's append, which a writer's batch
   * may have moved meanwhile: then whether a pass ended (a trickle is committed at once) would
   * depend on where the writer was when this thread got the CPU back.
   */
  private void append(String id, Chunk chunk, long end) {
    try {
      store.appendFromFile(id, chunk.end(), chunk.events());
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      refused(id, chunk, e);
      return;
    }
    up();
    dropped.addAndGet(chunk.unreadable());
    appended = chunk.end();
    if (chunk.events().isEmpty()) {
      commit(); // only the offset moved (lines skipped): no group left open without events
      return;
    }
    lastAppendedMillis = chunk.lastMillis();
    int open = store.uncommittedRequestEvents();
    if (open == 0) { // committed at once (no grouping), or the group was full
      committed(grouped + chunk.events().size());
    } else {
      if (grouped == 0) {
        groupStarted = nanos.getAsLong();
      }
      grouped = open;
    }
    if (passEnded) {
      pass = 0;
      passEnded = false;
    }
    pass += chunk.events().size();
    if (carefulUntil >= 0) {
      commit();
      if (committed >= carefulUntil) {
        carefulUntil = -1;
      }
    } else {
      commitIfDue(appended >= end);
    }
  }

  /**
   * Commits the open group once it is {@code groupAge} old, or at once when the reader caught up
   * with the writer after a pass of fewer than {@code groupFrom} events (a pass: the chunks read
   * from one catch-up to the next): a trickle is listed at once, and under load the store gets few
   * large commits, which cost DuckDB far less per event than many small ones.
   */
  private void commitIfDue(boolean caughtUp) {
    if (caughtUp) {
      passEnded = true;
    }
    if (grouped > 0
        && (nanos.getAsLong() - groupStarted >= tuning.groupAge().toNanos()
            || (caughtUp && pass < tuning.groupFrom()))) {
      commit();
    }
  }

  /** The store refused a chunk (not unreachable): find the event it refuses, and skip that one. */
  private void refused(String id, Chunk chunk, RuntimeException e) {
    rollBack();
    if (carefulUntil < 0 || chunk.events().size() > 1) {
      carefulUntil = chunk.end();
      LOG.warn(
          "the store refused {} request events from the events file; storing them one by one to"
              + " find which: {}",
          chunk.events().size(),
          e.toString());
      return;
    }
    LOG.error("the store refused a request event from the events file; skipped", e);
    store.appendFromFile(id, chunk.end(), List.of());
    store.commitRequestEvents();
    dropped.addAndGet(chunk.events().size() + chunk.unreadable());
    appended = chunk.end();
    committed = chunk.end();
  }

  /** Commits the store's open group, if anything was appended since the last commit. */
  private void commit() {
    if (appended == committed) {
      return;
    }
    try {
      store.commitRequestEvents();
    } catch (StoreUnavailableException e) {
      rollBack();
      down(e);
      return;
    } catch (RuntimeException e) {
      LOG.error("the store could not commit request events; they are stored again", e);
      rollBack();
      return;
    }
    committed(grouped);
  }

  private void committed(int events) {
    written.addAndGet(events);
    grouped = 0;
    committed = appended;
    // a slow request's event may be written after the store last held everything
    storedUntilMillis = Math.max(storedUntilMillis, lastAppendedMillis);
    up();
  }

  /** The store rolled its open group back: read again from its last commit. */
  private void rollBack() {
    appended = committed;
    grouped = 0;
  }

  private void down(StoreUnavailableException e) {
    if (backoff.failed()) {
      LOG.warn(
          "store unavailable: request events wait in the events file until it is back: {}",
          e.getMessage());
    }
  }

  private void up() {
    if (backoff.succeeded()) {
      LOG.info("store reachable again; storing the events file from where it stopped");
    }
  }

  /** Finds where the store left off (see the class comment). */
  private void resume() throws IOException {
    List<Segment> segments = atStart;
    for (int i = segments.size() - 1; i >= 0; i--) {
      Segment s = segments.get(i);
      String id = idOf(s);
      if (id == null) {
        continue;
      }
      long at = store.storedUpTo(id);
      if (at < 0) {
        continue;
      }
      if (at > s.end()) {
        LOG.warn(
            "the store holds {} up to byte {}, but it is only {} bytes long now: reading on from"
                + " its end",
            s,
            at,
            s.end());
        at = s.end();
      }
      segments.subList(0, i).forEach(Segment::markIndexed);
      long behind = file.bytesAfter(s, at);
      if (behind > 0) {
        LOG.info(
            "the store holds {} up to byte {}: storing the {} bytes of events file after it",
            s,
            at,
            behind);
      }
      startOn(s, at);
      return;
    }
    Segment last = segments.get(segments.size() - 1);
    segments.subList(0, segments.size() - 1).forEach(Segment::markIndexed);
    String id = idOf(last);
    if (id == null) {
      startOn(last, 0);
      return;
    }
    long from = 0;
    RequestEvent first = firstEvent(last);
    if (first != null
        && store.requestIds(first.node(), first.time(), first.time()).contains(first.requestId())) {
      from = lastEndAtStart; // not what this run wrote since
      LOG.info(
          "the store already holds the events of {} (written by an earlier version): storing the"
              + " events written from now on",
          last);
    }
    // the decision is kept: a start after a crash reads on from here
    store.appendFromFile(id, from, List.of());
    store.commitRequestEvents();
    startOn(last, from);
  }

  private void startOn(Segment segment, long at) throws IOException {
    FileChannel old = channel;
    channel = null;
    if (old != null) {
      old.close();
    }
    reading = segment;
    appended = at;
    committed = at;
    try {
      channel = file.openForReading(segment);
    } catch (NoSuchFileException e) {
      LOG.warn(
          "the events file {} is gone: its events not stored yet are lost to the store", segment);
      segment.markIndexed();
      Segment next = file.next(segment);
      if (next != null) {
        startOn(next, 0);
      }
    }
  }

  /**
   * The segment's name in the store: a digest of its first line, or null while it has none whole.
   */
  private @Nullable String idOf(Segment segment) throws IOException {
    String id = segment.id();
    if (id != null || segment.end() == 0) {
      return id;
    }
    byte[] line = firstLine(segment);
    if (line == null) {
      return null;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(line);
      id = HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    segment.id(id);
    return id;
  }

  private @Nullable RequestEvent firstEvent(Segment segment) throws IOException {
    byte[] line = firstLine(segment);
    if (line == null) {
      return null;
    }
    try {
      return reader.read(line, 0, line.length);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The segment's first line without its line break, or null when there is none whole. */
  private byte @Nullable [] firstLine(Segment segment) throws IOException {
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(segment.end(), ID_BYTES));
    try (FileChannel c = file.openForReading(segment)) {
      while (head.hasRemaining() && c.read(head, head.position()) >= 0) {
        // read on
      }
    }
    byte[] a = head.array();
    for (int i = 0; i < head.position(); i++) {
      if (a[i] == '\n') {
        byte[] line = new byte[i];
        System.arraycopy(a, 0, line, 0, i);
        return line;
      }
    }
    // no line break: a first line longer than any event, which names the file all the same
    return head.position() == ID_BYTES ? a : null;
  }

  /** Events read from a file: the lines from {@code appended} up to {@code end}. */
  private record Chunk(List<RequestEvent> events, long end, long lastMillis, int unreadable) {}

  /** Reads up to {@code lines} whole lines from {@link #appended}, no further than {@code end}. */
  private Chunk read(Segment segment, long end, int lines) throws IOException {
    FileChannel c = channel;
    if (c == null) {
      throw new IOException("the events file " + segment + " is not open");
    }
    buffer.clear();
    buffer.limit((int) Math.min(end - appended, BUFFER));
    while (buffer.hasRemaining()) {
      if (c.read(buffer, appended + buffer.position()) < 0) {
        break;
      }
    }
    byte[] a = buffer.array();
    int length = buffer.position();
    List<RequestEvent> events = new ArrayList<>(Math.min(lines, 4_096));
    int lineStart = 0;
    int bad = 0;
    long lastMillis = 0;
    for (int i = 0; i < length && events.size() + bad < lines; i++) {
      if (a[i] != '\n') {
        continue;
      }
      if (i > lineStart) {
        RequestEvent e = parse(segment, a, lineStart, i - lineStart);
        if (e == null) {
          bad++;
        } else {
          events.add(e);
          lastMillis = e.time().toEpochMilli();
        }
      }
      lineStart = i + 1;
    }
    if (lineStart == 0) {
      // no line break in a full buffer, or none before the end: not lines this gateway wrote
      warn(segment, "bytes without a line break");
      return new Chunk(List.of(), appended + length, 0, 1);
    }
    return new Chunk(events, appended + lineStart, lastMillis, bad);
  }

  private @Nullable RequestEvent parse(Segment segment, byte[] a, int from, int length) {
    try {
      return reader.read(a, from, length);
    } catch (IOException | RuntimeException e) {
      warn(segment, e.getMessage());
      return null;
    }
  }

  private void warn(Segment segment, @Nullable String why) {
    if (++unreadable <= WARNINGS) {
      LOG.warn("skipped a line of {} that is not a request event: {}", segment, why);
    }
  }

  /** Bytes of events file not yet appended to the store (0 before it knows where to start). */
  long behind() {
    Segment s = reading;
    return s == null ? 0 : file.bytesAfter(s, appended);
  }

  /**
   * How long ago the oldest event the file holds and the store lacks (not committed) was recorded,
   * at most; 0 when it lacks none.
   */
  private long lagMillis() {
    Segment s = reading;
    if (s == null || file.bytesAfter(s, committed) == 0) {
      return 0;
    }
    return Math.max(0, clock.millis() - storedUntilMillis);
  }

  double lagSeconds() {
    return lagMillis() / 1000.0;
  }

  long written() {
    return written.get();
  }

  long dropped() {
    return dropped.get();
  }

  /**
   * Stores what the file holds at normal priority (its writer has closed it), for a minute at most,
   * commits, and stops both threads. What is left is stored at the next start.
   */
  @Override
  public void close() {
    closing = true;
    try {
      catchUp.join(TimeUnit.MINUTES.toMillis(1));
      if (catchUp.isAlive()) {
        LOG.warn(
            "the event store is still {} MiB of events file behind after a minute: the next start"
                + " stores the rest",
            behind() >> 20);
      }
      stopped = true;
      low.interrupt();
      catchUp.interrupt();
      low.join(TimeUnit.SECONDS.toMillis(10));
      catchUp.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      FileChannel c = channel;
      channel = null;
      if (c != null) {
        c.close();
      }
    } catch (IOException e) {
      LOG.debug("could not close the events file's reader: {}", e.toString());
    } finally {
      lock.unlock();
    }
  }
}
