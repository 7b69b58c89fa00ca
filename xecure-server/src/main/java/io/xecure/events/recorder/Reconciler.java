package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import io.xecure.store.EventStore;
import io.xecure.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the store the request events that the events file holds and the store lacks, once at start
 * before new events are taken: the file is the log of record. Each batch goes to the file first and
 * is handed to the operating system at once, then to the store; a store that keeps its last commits
 * in memory for a while (embedded H2 writes them about every second) loses them when the process is
 * killed, and a kill between the two writes loses the batch in flight.
 *
 * <p>Bounded work: the file is read from its end back, a block of events at a time, and each block
 * is compared with the store by request id and node (unique per node), reading the store's time
 * index over the block's times. Batches reach the store in the file's order, so the store lacks a
 * tail of the file: the first block found whole in the store ends the walk. The walk goes on into
 * the file rotated last when the current one is used up, and stops after {@code maxEvents} in any
 * case. Events waiting in the spool count as held (the spool delivers them). What is missing is
 * stored through the {@link StoreWriter}, in batches with their own ids, like any other batch (or
 * spooled, should the store fail meanwhile). Unreadable lines are skipped with a warning.
 *
 * <p>Should the store be unreachable at start, nothing is compared: a warning says so, and the
 * gateway starts all the same.
 *
 * <p>Not covered: a spooled batch delivered in the last moment before a kill whose commit the store
 * then lost. Its spool file is already deleted, and its events, older than the file's tail, lie
 * before the block that ends the walk.
 */
final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final int BLOCK = 1_000;

  /** About 4 s at the harness's rate, and at most ~50 MB of missing events held at once. */
  private static final int MAX_EVENTS = 100_000;

  /** Events of one node further apart in time than this are looked up in separate ranges. */
  private static final Duration GAP = Duration.ofSeconds(1);

  private static final int WARNINGS = 10;

  private final EventStore store;
  private final Spool spool;
  private final StoreWriter writer;
  private final int block;
  private final int maxEvents;
  private final int batch;

  private final Set<String> spooled = new HashSet<>();
  private @Nullable Iterator<Spool.Batch> spoolBatches;
  private Spool.@Nullable Batch nextSpoolBatch;
  private int skippedLines;

  Reconciler(EventStore store, Spool spool, StoreWriter writer, int batch) {
    this(store, spool, writer, batch, BLOCK, MAX_EVENTS);
  }

  Reconciler(
      EventStore store, Spool spool, StoreWriter writer, int batch, int block, int maxEvents) {
    this.store = store;
    this.spool = spool;
    this.writer = writer;
    this.batch = batch;
    this.block = block;
    this.maxEvents = maxEvents;
  }

  /**
   * Compares the tail of {@code current}, then of {@code rotated} if the walk reaches it, with the
   * store, and stores what the store lacks. Returns how many events it stored (or spooled).
   */
  int run(Path current, @Nullable Path rotated) {
    Map<String, RequestEvent> missing = new LinkedHashMap<>(); // newest first
    int read;
    try {
      read = walk(current, rotated, missing);
    } catch (StoreUnavailableException e) {
      LOG.warn(
          "could not compare the events file with the store, which is unreachable: events of the"
              + " last moments before the previous stop may be missing from it: {}",
          e.getMessage());
      return 0;
    } catch (RuntimeException e) {
      // the gateway starts all the same: a failed comparison costs the events it would add
      LOG.error("could not compare the events file with the store", e);
      return 0;
    }
    if (missing.isEmpty()) {
      LOG.debug("the store holds every request event of the events file ({} compared)", read);
      return 0;
    }
    List<RequestEvent> events = new ArrayList<>(missing.values());
    Collections.reverse(events); // the file's order
    for (int from = 0; from < events.size(); from += batch) {
      writer.write(events.subList(from, Math.min(events.size(), from + batch)));
    }
    LOG.info(
        "{} request events in the events file were missing from the store (the previous run"
            + " stopped before the store kept them); stored now ({} compared)",
        events.size(),
        read);
    return events.size();
  }

  /** Walks back until a block is whole in the store; returns how many events it read. */
  private int walk(Path current, @Nullable Path rotated, Map<String, RequestEvent> missing) {
    List<RequestEvent> events = new ArrayList<>(block);
    int read = 0;
    for (Path file : rotated == null ? List.of(current) : List.of(current, rotated)) {
      if (!Files.exists(file)) {
        continue;
      }
      try (LinesFromEnd lines = new LinesFromEnd(file)) {
        if (lines.tornBytes() > 0) {
          LOG.warn("skipped the last line of {}: cut short by a crash", file);
        }
        for (String line = lines.previous(); line != null; line = lines.previous()) {
          RequestEvent event = parse(file, line);
          if (event == null) {
            continue;
          }
          events.add(event);
          read++;
          if (events.size() == block || read >= maxEvents) {
            boolean whole = compare(events, missing);
            events.clear();
            if (whole) {
              return read;
            }
            if (read >= maxEvents) {
              LOG.warn(
                  "compared the last {} request events of the events file, the most it reads at"
                      + " start; the store may lack older ones",
                  read);
              return read;
            }
          }
        }
      } catch (IOException e) {
        LOG.warn("could not read {} to compare it with the store: {}", file, e.toString());
        break; // what was read is still compared
      }
    }
    if (!events.isEmpty()) {
      compare(events, missing);
    }
    return read;
  }

  private @Nullable RequestEvent parse(Path file, String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      return EventJson.parse(line);
    } catch (IOException | RuntimeException e) {
      if (++skippedLines <= WARNINGS) {
        LOG.warn("skipped a line of {} that is not a request event: {}", file, e.getMessage());
      }
      return null;
    }
  }

  /**
   * Adds the events of {@code events} that neither the store nor the spool holds to {@code
   * missing}; whether there were none.
   */
  private boolean compare(List<RequestEvent> events, Map<String, RequestEvent> missing) {
    Map<String, List<RequestEvent>> byNode = new LinkedHashMap<>();
    for (RequestEvent e : events) {
      byNode.computeIfAbsent(e.node(), n -> new ArrayList<>()).add(e);
    }
    Set<String> held = new HashSet<>();
    for (Map.Entry<String, List<RequestEvent>> node : byNode.entrySet()) {
      List<RequestEvent> sorted = new ArrayList<>(node.getValue());
      sorted.sort(Comparator.comparing(RequestEvent::time));
      // a request answered late (its time is its start) lands among later ones: split the range
      // at gaps, so it does not widen the look-up to everything in between
      int from = 0;
      for (int i = 1; i <= sorted.size(); i++) {
        if (i == sorted.size()
            || Duration.between(sorted.get(i - 1).time(), sorted.get(i).time()).compareTo(GAP)
                > 0) {
          for (String id :
              store.requestIds(node.getKey(), sorted.get(from).time(), sorted.get(i - 1).time())) {
            held.add(key(node.getKey(), id));
          }
          from = i;
        }
      }
    }
    loadSpooledSince(events.stream().map(RequestEvent::time).min(Comparator.naturalOrder()));
    boolean whole = true;
    for (int i = events.size() - 1; i >= 0; i--) {
      RequestEvent e = events.get(i);
      String key = key(e.node(), e.requestId());
      if (!held.contains(key) && !spooled.contains(key)) {
        missing.putIfAbsent(key, e);
        whole = false;
      }
    }
    return whole;
  }

  /**
   * Reads the keys of spooled batches written at or after {@code oldest}, going back from the
   * newest as the walk does: a batch written before an event occurred cannot hold it.
   */
  private void loadSpooledSince(Optional<Instant> oldest) {
    if (oldest.isEmpty()) {
      return;
    }
    Iterator<Spool.Batch> batches = spoolBatches;
    if (batches == null) {
      batches = spool.newestFirst().iterator();
      spoolBatches = batches;
      nextSpoolBatch = batches.hasNext() ? batches.next() : null;
    }
    long since = oldest.get().toEpochMilli();
    for (Spool.Batch b = nextSpoolBatch;
        b != null && b.writtenMillis() >= since;
        b = nextSpoolBatch) {
      try {
        for (RequestEvent e : spool.read(b)) {
          spooled.add(key(e.node(), e.requestId()));
        }
      } catch (IOException e) {
        LOG.warn("could not read spool file {}: {}", b.file(), e.toString());
      }
      nextSpoolBatch = batches.hasNext() ? batches.next() : null;
    }
  }

  private static String key(String node, String requestId) {
    return node + ' ' + requestId;
  }
}
