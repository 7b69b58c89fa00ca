package io.xecure.store;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The change feed (SPEC §8): every write that a node's memory depends on (keys, developers, APIs,
 * plans) is given the next change sequence in the same transaction as the write itself, and every
 * node reads the feed in sequence order to bring its memory in line.
 *
 * <p>Sequences are gap-free and in commit order: a writer takes its sequence under a row lock held
 * until it commits (or rolls back and gives the number back), so a reader that has seen sequence
 * {@code n} can never later find a committed change below {@code n}.
 *
 * <p>A change names what changed, not how: the reader is given the current state of the keys and
 * developers a batch names, so applying a change is idempotent and always moves memory forward.
 *
 * <p>Every method may block and throws {@link StoreUnavailableException} when the database fails.
 */
public interface ChangeLog {

  /** What a change is about; its id is a key id, a developer id, or an API or plan name. */
  enum Subject {
    KEY,
    DEVELOPER,
    API,
    PLAN;

    /** The stored form: {@code key}, {@code developer}, {@code api}, {@code plan}. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One committed change. */
  record Change(long sequence, Subject subject, String id) {}

  /**
   * Changes in sequence order, with the state now stored of every key and developer they name: a
   * key or developer missing from the maps is gone (a deleted developer).
   */
  record Batch(
      List<Change> changes, Map<String, ApiKeyRecord> keys, Map<String, Developer> developers) {
    public static final Batch EMPTY = new Batch(List.of(), Map.of(), Map.of());

    public long lastSequence(long otherwise) {
      return changes.isEmpty() ? otherwise : changes.get(changes.size() - 1).sequence();
    }
  }

  /**
   * Streams every live developer, then every key, and returns the sequence they are at least as new
   * as: every change up to it is in what was streamed, and applying every change after it brings
   * the streamed state up to date.
   *
   * <p>For a fast start the keys may carry only what the key index reads (id, developer, hash,
   * status, expiry, APIs, scopes, CIDRs, plan, identity, grace): a store may leave name and display
   * prefix empty, the creation time at the epoch and the last use and predecessor null, and may
   * hand equal lists and strings out as the same instances.
   */
  long loadSnapshot(Consumer<Developer> developers, Consumer<ApiKeyRecord> keys);

  /**
   * About how many keys {@link #loadSnapshot} would stream now (0 when not known): a hint to size
   * the key index before a load, read outside the snapshot, so it may be off by the keys created or
   * deleted meanwhile.
   */
  default int keyCountHint() {
    return 0;
  }

  /** At most {@code limit} changes with a sequence above {@code after}, oldest first. */
  Batch changesAfter(long after, int limit);

  /** The sequence of the latest committed change (0 before the first). */
  long latestSequence();

  /**
   * Prunes the feed: deletes up to {@code limit} of the oldest changes committed before {@code
   * cutoff} whose sequence is at most {@code atMost} (the lowest sequence the live nodes have
   * applied), oldest first; returns how many. The latest change is never deleted, so a reader that
   * was away for longer than the retention finds the first change after its own sequence missing
   * (sequences have no gaps otherwise) and must load a snapshot again rather than carry on.
   */
  int deleteChangesBefore(java.time.Instant cutoff, long atMost, int limit);

  /**
   * Asks to be told, from another thread, soon after a change commits (PostgreSQL LISTEN/NOTIFY).
   * Pushes are a shortcut, never the only path: a listener may miss some, so a reader also polls. A
   * store that cannot push (embedded H2) returns a subscription that never calls.
   */
  Subscription subscribe(Listener listener);

  /** Told of pushed changes; calls come from one thread and must return quickly. */
  interface Listener {
    /** A change with this sequence committed. */
    void changed(long sequence);

    /** The push connection was (re)established: changes may have been missed while it was down. */
    void connected();

    /** The push connection failed; it is being re-established. */
    void disconnected(Exception cause);
  }

  /** Stops the pushes; idempotent. */
  interface Subscription extends AutoCloseable {
    Subscription NONE = () -> {};

    @Override
    void close();
  }
}
