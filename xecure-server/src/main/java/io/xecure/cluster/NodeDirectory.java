package io.xecure.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.store.NodeStore.Node;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The nodes sharing the database, as {@code GET /admin/nodes} and {@code xecure nodes} show them:
 * each with its lag behind the feed's latest change and whether it is live.
 */
public final class NodeDirectory {
  /** A node with what is derived at read time. */
  public record Listed(Node node, long lag, boolean live) {}

  private final Vertx vertx;
  private final Supplier<List<Node>> nodes;
  private final LongSupplier latestSequence;
  private final Predicate<Node> live;

  /**
   * @param nodes reads every node's last heartbeat (blocks)
   * @param latestSequence the feed's latest change (blocks)
   * @param live whether a node is live now
   */
  public NodeDirectory(
      Vertx vertx, Supplier<List<Node>> nodes, LongSupplier latestSequence, Predicate<Node> live) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.latestSequence = latestSequence;
    this.live = live;
  }

  /** For a heartbeat judging liveness at {@code clock}'s now. */
  public static Predicate<Node> liveBy(NodeHeartbeat heartbeat, Clock clock) {
    return node -> heartbeat.live(node, clock.instant());
  }

  /** Every node, ordered by id; fails with StoreUnavailableException when the store does. */
  public Future<List<Listed>> list() {
    return vertx.executeBlocking(
        () -> {
          long latest = latestSequence.getAsLong();
          List<Listed> out = new ArrayList<>();
          for (Node node : nodes.get()) {
            out.add(
                new Listed(node, Math.max(0, latest - node.appliedSequence()), live.test(node)));
          }
          return out;
        },
        false);
  }

  /** No nodes (a store that keeps none). */
  public static NodeDirectory none(Vertx vertx) {
    return new NodeDirectory(vertx, List::of, () -> 0, n -> false);
  }
}
