package io.xecure.cluster;

import io.xecure.keys.KeyIndex;
import io.xecure.store.NodeStore;
import io.xecure.store.NodeStore.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records this node in the nodes table every {@code cluster.heartbeat_interval} (its address,
 * version, start, applied change, key count, Redis reachability) and counts the live nodes: those
 * whose last heartbeat is within three intervals. {@link #liveNodes} is what a per-node fallback
 * limit divides by (limit / N); it is at least 1, this node, even when the store cannot be read.
 */
public final class NodeHeartbeat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

  /** Redis reachability when no Redis is configured. */
  public static final String NOT_CONFIGURED = "not configured";

  /** A node is live while its last heartbeat is within this many intervals. */
  static final int LIVE_INTERVALS = 3;

  private final NodeStore store;
  private final NodeIdentity self;
  private final Supplier<String> address;
  private final ChangeApplier applier;
  private final KeyIndex index;
  private final Supplier<String> redis;
  private final Duration interval;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private volatile int live = 1;

  /** What a node says of itself that does not change while it runs. */
  public record NodeIdentity(String id, String version, Instant startedAt) {}

  /**
   * @param address where this node serves requests (host:port), asked at each heartbeat
   * @param redis whether this node reaches Redis right now: {@code ok}, {@code unreachable}, or
   *     {@link #NOT_CONFIGURED}
   */
  public NodeHeartbeat(
      NodeStore store,
      NodeIdentity self,
      Supplier<String> address,
      ChangeApplier applier,
      KeyIndex index,
      Supplier<String> redis,
      Duration interval,
      Clock clock) {
    this.store = store;
    this.self = self;
    this.address = address;
    this.applier = applier;
    this.index = index;
    this.redis = redis;
    this.interval = interval;
    this.clock = clock;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "xecure-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    long ms = interval.toMillis();
    thread.scheduleWithFixedDelay(this::beat, 0, ms, TimeUnit.MILLISECONDS);
  }

  /** Records one heartbeat and recounts the live nodes; a store failure is logged and skipped. */
  void beat() {
    try {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      store.heartbeat(
          new Node(
              self.id(),
              address.get(),
              self.version(),
              self.startedAt(),
              now,
              Math.max(0, applier.applied()),
              index.size(),
              redis.get()));
      live = Math.max(1, count(store.nodes(), now));
    } catch (RuntimeException e) {
      LOG.debug("heartbeat not recorded: {}", e.getMessage());
    }
  }

  private int count(List<Node> nodes, Instant now) {
    int n = 0;
    for (Node node : nodes) {
      if (live(node, now)) {
        n++;
      }
    }
    return n;
  }

  /** Whether {@code node}'s last heartbeat is recent enough, at {@code now}. */
  public boolean live(Node node, Instant now) {
    return !node.lastHeartbeat().isBefore(now.minus(interval.multipliedBy(LIVE_INTERVALS)));
  }

  /** Live nodes as of the last heartbeat (at least 1): N for limit / N. */
  public int liveNodes() {
    return live;
  }

  /** {@link #liveNodes} as the supplier the Redis limiter's fallback takes. */
  public IntSupplier liveNodeCount() {
    return this::liveNodes;
  }

  public NodeIdentity self() {
    return self;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
