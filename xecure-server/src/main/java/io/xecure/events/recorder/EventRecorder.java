package io.xecure.events.recorder;

import io.vertx.core.json.JsonObject;
import io.xecure.events.EventSink;
import io.xecure.events.RequestEvent;
import io.xecure.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records request events off the request path: {@link #record} only offers to a bounded queue (a
 * full queue drops and counts, never blocks); one writer thread drains it in batches to the store
 * and to a JSON-lines file. {@link #close} drains everything that was queued.
 */
public final class EventRecorder implements EventSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int CAPACITY = 65_536;
  private static final int BATCH = 1_000;

  private final BlockingQueue<RequestEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Store store;
  private final @Nullable BufferedWriter file;
  private final Thread writer;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private volatile boolean running = true;

  public EventRecorder(Store store, @Nullable Path jsonLines) throws IOException {
    this.store = store;
    this.file = jsonLines == null ? null : open(jsonLines);
    this.writer = new Thread(this::drainLoop, "xecure-events");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  private static BufferedWriter open(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return Files.newBufferedWriter(
        path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Override
  public void record(RequestEvent event) {
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  /** Events lost since start: queue full, or a batch the store refused. */
  public long dropped() {
    return dropped.get();
  }

  public long written() {
    return written.get();
  }

  private void drainLoop() {
    List<RequestEvent> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      try {
        RequestEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } finally {
        batch.clear();
      }
    }
    List<RequestEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty()) {
      write(rest);
    }
  }

  private void write(List<RequestEvent> batch) {
    writeFile(batch);
    try {
      store.appendRequestEvents(batch);
      written.addAndGet(batch.size());
    } catch (RuntimeException e) {
      dropped.addAndGet(batch.size());
      LOG.warn("could not store {} request events: {}", batch.size(), e.getMessage());
    }
  }

  private void writeFile(List<RequestEvent> batch) {
    BufferedWriter out = file;
    if (out == null) {
      return;
    }
    try {
      for (RequestEvent e : batch) {
        out.write(toJson(e).encode());
        out.write('\n');
      }
      out.flush();
    } catch (IOException e) {
      LOG.warn("could not write request events to the events file: {}", e.getMessage());
    }
  }

  static JsonObject toJson(RequestEvent e) {
    return new JsonObject()
        .put("time", e.time().toString())
        .put("request_id", e.requestId())
        .put("node", e.node())
        .put("api", e.api())
        .put("method", e.method())
        .put("path", e.path())
        .put("status", e.status())
        .put("outcome", e.outcome())
        .put("code", e.code())
        .put("reason", e.reason())
        .put("key_id", e.keyId())
        .put("developer_id", e.developerId())
        .put("client_ip", e.clientIp())
        .put("user_agent", e.userAgent())
        .put("latency_us", e.latencyMicros())
        .put("upstream_latency_us", e.upstreamLatencyMicros());
  }

  @Override
  public void close() {
    running = false;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    BufferedWriter out = file;
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.warn("could not close the events file: {}", e.getMessage());
      }
    }
  }
}
