package io.xecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, "after a crash the store and the events file agree": the packaged gateway, under load,
 * killed with SIGKILL and started again on the same data directory. The store then holds exactly
 * the events the file holds, each once, however far behind the file it was at the kill, and the
 * requests answered but recorded nowhere are fewer than one second's worth.
 */
class CrashIT {
  private static final int CLIENTS = 4;
  private static final int MAX_REQUESTS = 20_000;

  @TempDir Path dir;

  @Test
  void afterASigkillUnderLoadTheStoreHoldsEveryEventOfTheFileOnce() throws Exception {
    int port = XecureProcess.freePort();
    int adminPort = XecureProcess.freePort();
    String token = ConfigFiles.token();
    Map<String, String> env = Map.of("XECURE_ADMIN_TOKEN", token);
    try (EchoUpstream upstream = new EchoUpstream()) {
      Path config =
          ConfigFiles.serve(dir, port, adminPort, upstream.url(), "[ \"header:X-API-Key\" ]");
      String[] serve = {"serve", "--config", config.toString()};
      Load load;
      try (XecureProcess first = XecureProcess.start(dir, "first", env, serve)) {
        first.awaitHealthy(adminPort, Duration.ofSeconds(30));
        Admin admin = new Admin(adminPort, token);
        String key =
            admin.issueKey(admin.createDeveloper("ada").getString("id"), "k").getString("key");
        load = new Load(port, key);
        load.start();
        // killed mid-load: well after the first second (H2 writes its commits about every
        // second), while every client is still sending
        Eventually.until(
            "3,000 requests answered",
            Duration.ofSeconds(60),
            () -> load.answered.get() >= 3_000 || load.finished());
        first.kill();
        load.stop();
      }
      assertThat(load.answered.get()).as("answered before the kill").isGreaterThanOrEqualTo(3_000);
      List<String> file = Files.readAllLines(dir.resolve("data/events.jsonl"));

      try (XecureProcess second = XecureProcess.start(dir, "second", env, serve)) {
        second.awaitHealthy(adminPort, Duration.ofSeconds(30));
        Admin admin = new Admin(adminPort, token);
        // the store catches up with the file behind the gateway's back, from where its last
        // commit before the kill left it
        List<JsonObject> stored = admin.listAll("/admin/events?type=request");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stored.size() < file.size() && System.nanoTime() < deadline) {
          Thread.sleep(500);
          stored = admin.listAll("/admin/events?type=request");
        }
        Set<String> storedIds = new HashSet<>();
        stored.forEach(e -> storedIds.add(e.getString("node") + " " + e.getString("request_id")));
        Set<String> fileIds = new HashSet<>();
        file.forEach(
            l -> {
              JsonObject e = new JsonObject(l);
              fileIds.add(e.getString("node") + " " + e.getString("request_id"));
            });
        long perSecond = load.answered.get() * 1_000_000_000L / load.elapsedNanos();
        System.out.printf(
            "[e2e] crash: answered %d (%d/s), in the file %d, in the store %d%n",
            load.answered.get(), perSecond, file.size(), stored.size());
        System.out.println(second.stderr().lines().filter(l -> l.contains("FileIndexer")).toList());

        assertThat(stored).as("events in the store").hasSameSizeAs(storedIds); // none twice
        assertThat(fileIds).as("events in the file").hasSameSizeAs(file);
        assertThat(storedIds).as("the store holds exactly the file's events").isEqualTo(fileIds);
        assertThat((long) load.answered.get() - file.size())
            .as("answered but recorded nowhere, at %d answers/s", perSecond)
            .isLessThan(perSecond);
        assertThat(second.stop(Duration.ofSeconds(15))).as(second.dump()).isZero();
      }
    }
  }

  /** A few clients sending requests one after another, counting the answers 2xx. */
  private static final class Load {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicBoolean stopping = new AtomicBoolean();
    final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    final List<Future<?>> running = new ArrayList<>();
    final HttpRequest request;
    long started;
    long stopped;

    Load(int port, String key) {
      request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo/load"))
              .timeout(Duration.ofSeconds(10))
              .header("X-API-Key", key)
              .build();
    }

    void start() {
      started = System.nanoTime();
      for (int i = 0; i < CLIENTS; i++) {
        running.add(clients.submit(this::send));
      }
    }

    private void send() {
      while (!stopping.get() && sent.incrementAndGet() <= MAX_REQUESTS) {
        try {
          HttpResponse<Void> r =
              XecureProcess.HTTP.send(request, HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() / 100 == 2) {
            answered.incrementAndGet();
          }
        } catch (IOException e) {
          return; // the gateway is gone
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    boolean finished() {
      return running.stream().allMatch(Future::isDone);
    }

    void stop() throws InterruptedException {
      stopped = System.nanoTime();
      stopping.set(true);
      clients.shutdown();
      if (!clients.awaitTermination(20, TimeUnit.SECONDS)) {
        throw new AssertionError("the clients did not stop");
      }
    }

    long elapsedNanos() {
      return stopped - started;
    }
  }
}
