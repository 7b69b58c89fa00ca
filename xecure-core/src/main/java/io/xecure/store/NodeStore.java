package io.xecure.store;

import java.time.Instant;
import java.util.List;

/**
 * Where gateway nodes record their heartbeats, so that any node can list them all ({@code GET
 * /admin/nodes}) and count the live ones. Like {@link Store}, every method may block and throws
 * {@link StoreUnavailableException} when the database fails.
 */
public interface NodeStore {

  /**
   * One node as it last reported itself.
   *
   * @param appliedSequence the last change of the feed it applied
   * @param redis whether it reaches Redis: {@code ok}, {@code unreachable} or {@code not
   *     configured}
   */
  record Node(
      String id,
      String address,
      String version,
      Instant startedAt,
      Instant lastHeartbeat,
      long appliedSequence,
      long keyCount,
      String redis) {}

  /** Records (inserts or replaces) the node's heartbeat. */
  void heartbeat(Node node);

  /** Every node that ever reported, ordered by id. */
  List<Node> nodes();

  /** Forgets nodes whose last heartbeat is before {@code cutoff}; returns how many. */
  int forgetNodesBefore(Instant cutoff);
}
