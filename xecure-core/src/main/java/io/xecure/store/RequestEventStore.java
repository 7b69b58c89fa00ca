package io.xecure.store;

import io.xecure.events.RequestEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The request-event half of the record: the data plane's decisions, appended in batches, listed
 * newest first, deleted by retention. The JDBC store keeps them with everything else; a single node
 * keeps them in an engine of their own ({@link SplitStore}).
 *
 * <p>Every method may block and must be called off the event loop, and throws {@link
 * StoreUnavailableException} when the engine cannot be reached or fails.
 */
public interface RequestEventStore {

  /**
   * The request ids of {@code node}'s request events that occurred from {@code from} to {@code to},
   * both included (times as stored: to the microsecond). A range of a few seconds is cheap however
   * large the store. For comparing the events file with the store after a crash: request ids are
   * unique per node.
   */
  Set<String> requestIds(String node, Instant from, Instant to);

  /** Appends request events in one transaction. */
  void appendRequestEvents(List<RequestEvent> events);

  /**
   * Appends a batch of request events once: in one transaction with its {@code batchId}, unless a
   * batch of that id was stored before, which answers false and writes nothing. A batch delivered
   * again (after a crash between storing it and deleting its spool file, or a commit whose answer
   * was lost) is so stored once.
   *
   * @param batchId at most 64 characters, unique per batch (e.g. time, node and sequence)
   * @return whether the events were stored now
   */
  boolean appendRequestEvents(String batchId, List<RequestEvent> events);

  /**
   * Like {@link #appendRequestEvents(String, List)}, but the store may leave the batch uncommitted,
   * in one open group with the batches appended after it, until {@link #commitRequestEvents} (or
   * until the group is as large as the store commits at best, when it commits on its own). For a
   * writer that appends batch after batch and also keeps them elsewhere (the events file): an
   * engine such as DuckDB spends far less per event on a few large commits than on many small ones.
   * Readers see a group once it is committed. When an append or a commit fails, the whole open
   * group is rolled back: the caller counts it lost ({@link #uncommittedRequestEvents} said how
   * large it was). The default commits every batch at once.
   *
   * @return whether the events were stored now (false: a batch of that id was stored before)
   */
  default boolean appendRequestEventsGrouped(String batchId, List<RequestEvent> events) {
    return appendRequestEvents(batchId, events);
  }

  /**
   * Appends request events read from an events file, in the open group as {@link
   * #appendRequestEventsGrouped} does, and records in the same transaction that the file {@code
   * fileId} is stored up to byte {@code offset}: after a crash the store holds exactly the events
   * before the offset it recorded, so the reader starts again there ({@link #storedUpTo}). {@code
   * events} may be empty: the offset alone moves on. A failed append or commit rolls the offset
   * back with the group's events.
   *
   * @param fileId names one events file for good, whatever it is renamed to (at most 64 characters)
   */
  void appendFromFile(String fileId, long offset, List<RequestEvent> events);

  /**
   * The offset {@link #appendFromFile} last committed for {@code fileId}, or -1 when it never
   * stored anything of that file (or retention deleted the record).
   */
  long storedUpTo(String fileId);

  /** Commits the open group, if any; returns how many events it held. */
  default int commitRequestEvents() {
    return 0;
  }

  /** How many events the open group holds: appended, not yet committed (0: none open). */
  default int uncommittedRequestEvents() {
    return 0;
  }

  /**
   * Request events within the filter's time range and request fields, newest first, starting
   * strictly after {@code after} (null: from the newest); at most {@code limit}.
   */
  List<StoredEvent<RequestEvent>> requestEvents(
      EventFilter filter, @Nullable EventPosition after, int limit);

  /** Request events, newest first. */
  default List<RequestEvent> requestEvents(int limit) {
    return requestEvents(EventFilter.ALL, null, limit).stream().map(StoredEvent::event).toList();
  }

  /**
   * Deletes request events that occurred before {@code cutoff}, the oldest first, about {@code
   * limit} of them (more only when more than {@code limit} share the oldest time); returns how
   * many. A retention job calls it until it returns 0, so no statement holds locks for long.
   */
  int deleteRequestEventsBefore(Instant cutoff, int limit);
}
