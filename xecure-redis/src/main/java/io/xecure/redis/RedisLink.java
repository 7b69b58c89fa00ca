package io.xecure.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's link to Redis: one connection on which every call is pipelined (concurrent calls are
 * written back to back and answered in order, without waiting for each other), each call bounded by
 * {@code timeout}.
 *
 * <p>The link is <em>up</em> while it has a connection that answers. It goes down when the
 * connection closes or fails, or when {@value #TIMEOUTS_TO_DOWN} calls in a row get no answer
 * within the bound (a Redis that is stalled, or a network that drops packets). While down, every
 * call fails at once (its caller answers from local state, see {@link RedisLimiterStore}) and a
 * probe reconnects in the background, waiting {@value #FIRST_PROBE_MS} ms, then twice as long each
 * time, at most {@value #MAX_PROBE_MS} ms; the first probe that connects and answers {@code PING}
 * brings the link up again. No restart is ever needed.
 *
 * <p>Futures returned complete on the caller's Vert.x context (an event loop that sends a call gets
 * its answer on that loop). Nothing here blocks.
 */
public final class RedisLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  static final int TIMEOUTS_TO_DOWN = 3;
  static final long FIRST_PROBE_MS = 50;
  static final long MAX_PROBE_MS = 2_000;
  private static final long CONNECT_TIMEOUT_MS = 1_000;

  /** Told when the link goes down and comes back; called on an event loop, must not block. */
  public interface Listener {
    void down(String reason);

    void up();

    Listener NONE =
        new Listener() {
          @Override
          public void down(String reason) {}

          @Override
          public void up() {}
        };
  }

  /** The connection with the client (and its pool) it came from, closed together. */
  private record Connected(Redis client, RedisConnection connection) {}

  /** A call refused at once because the link is down. */
  static final class DownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DownException() {
      super("Redis is unreachable", null, false, false);
    }
  }

  private final Vertx vertx;
  private final RedisOptions options;
  private final long timeoutMs;
  private final Listener listener;
  private final AtomicReference<@Nullable Connected> current = new AtomicReference<>();
  private final AtomicInteger timeoutsInARow = new AtomicInteger();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder downs = new LongAdder();
  private volatile boolean closed;

  /**
   * @param url {@code redis://[:password@]host:port[/db]} or {@code rediss://...}; or several URLs
   *     separated by commas, the seed nodes of a Redis Cluster (the client then routes each call to
   *     the node of its keys' slot: every key one script touches shares a hash tag, see {@link
   *     RedisKeys}); the password, if any, is never logged
   * @param timeout how long one call may wait for Redis before its caller falls back (at least 1
   *     ms: Vert.x timers count milliseconds)
   */
  public RedisLink(Vertx vertx, String url, Duration timeout, Listener listener) {
    this.vertx = vertx;
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.listener = listener;
    this.options =
        endpoints(url)
            .setMaxPoolSize(1)
            .setMaxWaitingHandlers(65_536)
            .setNetClientOptions(
                new NetClientOptions()
                    .setConnectTimeout((int) CONNECT_TIMEOUT_MS)
                    .setTcpNoDelay(true)
                    .setTcpKeepAlive(true));
  }

  /** One endpoint (a standalone Redis), or the seeds of a Redis Cluster. */
  static RedisOptions endpoints(String url) {
    String[] urls = url.split(",");
    RedisOptions options = new RedisOptions();
    if (urls.length == 1) {
      return options.setConnectionString(url.trim());
    }
    options.setType(RedisClientType.CLUSTER);
    for (String seed : urls) {
      options.addConnectionString(seed.trim());
    }
    return options;
  }

  /**
   * Connects for the first time. Fails when Redis does not answer; the link then keeps probing in
   * the background, and callers fall back meanwhile.
   */
  public Future<Void> connect() {
    return open()
        .onFailure(
            e -> {
              LOG.warn("Redis unreachable at start ({}); limits are per node until it answers", e);
              downs.increment();
              listener.down("unreachable at start: " + e.getMessage());
              probe(FIRST_PROBE_MS);
            })
        .mapEmpty();
  }

  private Future<Connected> open() {
    Redis client = Redis.createClient(vertx, options);
    return client
        .connect()
        .compose(
            c ->
                bounded(c.send(Request.cmd(Command.PING)), CONNECT_TIMEOUT_MS)
                    .map(pong -> new Connected(client, c)))
        .onSuccess(this::install)
        .onFailure(e -> client.close());
  }

  private void install(Connected connected) {
    RedisConnection c = connected.connection();
    c.exceptionHandler(e -> down(connected, "connection failed: " + e));
    c.endHandler(v -> down(connected, "connection closed"));
    timeoutsInARow.set(0);
    current.set(connected);
    if (closed) {
      connected.client().close();
    }
  }

  /** Whether calls go to Redis now (false: they fail at once and their callers fall back). */
  public boolean up() {
    return current.get() != null;
  }

  /** Sends one command; fails at once when the link is down, or when Redis takes too long. */
  public Future<Response> send(Request request) {
    Connected c = current.get();
    if (c == null) {
      return Future.failedFuture(new DownException());
    }
    return onCaller(watched(c, bounded(c.connection().send(request), timeoutMs)));
  }

  /** Counts one decision answered from local state: a call failed, or the link is down. */
  public void fellBack() {
    fallbacks.increment();
  }

  /** Decisions answered from local state since start (metric: limiter fallbacks). */
  public long fallbacks() {
    return fallbacks.sum();
  }

  /** Times the link went down since start. */
  public long downs() {
    return downs.sum();
  }

  /** Follows a call's outcome: an answer resets the timeout count; a dead link goes down. */
  private Future<Response> watched(Connected c, Future<Response> call) {
    return call.andThen(
        r -> {
          Throwable e = r.cause();
          if (e == null || e instanceof ErrorType) {
            // an answer, an error reply included: Redis is there
            timeoutsInARow.set(0);
          } else if (e instanceof TimeoutException) {
            if (timeoutsInARow.incrementAndGet() >= TIMEOUTS_TO_DOWN) {
              down(c, TIMEOUTS_TO_DOWN + " calls in a row unanswered within " + timeoutMs + " ms");
            }
          } else {
            down(c, e.toString());
          }
        });
  }

  private void down(Connected c, String reason) {
    if (!current.compareAndSet(c, null)) {
      return; // already down, or this connection was replaced
    }
    c.client().close();
    if (closed) {
      return;
    }
    downs.increment();
    LOG.warn("Redis link down ({}); limits are per node until it answers again", reason);
    listener.down(reason);
    probe(FIRST_PROBE_MS);
  }

  private void probe(long delayMs) {
    if (closed) {
      return;
    }
    vertx.setTimer(
        delayMs,
        id ->
            open()
                .onSuccess(
                    c -> {
                      LOG.info("Redis link up again; limits are shared again");
                      listener.up();
                    })
                .onFailure(e -> probe(Math.min(delayMs * 2, MAX_PROBE_MS))));
  }

  /** {@code call}, or a {@link TimeoutException} once {@code ms} have passed without an answer. */
  private <T> Future<T> bounded(Future<T> call, long ms) {
    Promise<T> promise = Promise.promise();
    long timer =
        vertx.setTimer(
            ms,
            id ->
                promise.tryFail(new TimeoutException("no answer from Redis within " + ms + " ms")));
    call.onComplete(
        r -> {
          vertx.cancelTimer(timer);
          if (r.succeeded()) {
            promise.tryComplete(r.result());
          } else {
            promise.tryFail(r.cause());
          }
        });
    return promise.future();
  }

  /** {@code f}, completed on the context of the calling thread, if it has one. */
  static <T> Future<T> onCaller(Future<T> f) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return f;
    }
    Promise<T> promise = Promise.promise();
    f.onComplete(
        r -> {
          if (Vertx.currentContext() == caller) {
            promise.handle(r);
          } else {
            caller.runOnContext(v -> promise.handle(r));
          }
        });
    return promise.future();
  }

  @Override
  public void close() {
    closed = true;
    Connected c = current.getAndSet(null);
    if (c != null) {
      c.client().close();
    }
  }
}
