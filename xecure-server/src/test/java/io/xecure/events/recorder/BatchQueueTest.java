package io.xecure.events.recorder;

import static io.xecure.testing.RequestEventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.events.RequestEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ring between the event loops and the writer: order, wrap-around, a full ring, waking. */
class BatchQueueTest {
  private static final Instant T = Instant.parse("2026-12-05T23:00:00Z");

  @Test
  void eventsComeOutInOrderAcrossManyWrapArounds() throws Exception {
    BatchQueue queue = new BatchQueue(4); // 1 KiB: a few events at a time
    List<RequestEvent> out = new ArrayList<>();
    List<RequestEvent> in = new ArrayList<>();
    for (int n = 0; n < 2_000; n++) {
      // lengths that leave every remainder at the ring's end, padding marked or not
      RequestEvent e = event(T).requestId("req_" + n).path("/p/" + "x".repeat(n % 97)).build();
      in.add(e);
      queue.offer(e);
      if (n % 3 == 2) {
        queue.drain(out, 100, 0);
      }
    }
    queue.drain(out, 100, 0);

    assertThat(out).containsExactlyElementsOf(in);
    assertThat(queue.dropped()).isZero();
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aRingFullOfEventsDropsAndCountsUntilTheWriterTakesWhatItHolds() throws Exception {
    assertFullThenFreed(new BatchQueue(4), "", 4); // 4 short events fill its count
  }

  @Test
  void aRingFullOfBytesDropsAndCountsUntilTheWriterTakesWhatItHolds() throws Exception {
    // 8 events of capacity are 2 KiB: four events of ~420 bytes fill them first
    assertFullThenFreed(new BatchQueue(8), "/" + "p".repeat(300), 4);
  }

  private static void assertFullThenFreed(BatchQueue queue, String path, int fits)
      throws Exception {
    int offered = 0;
    while (queue.dropped() == 0) {
      queue.offer(event(T).requestId("req_" + offered++).path(path).build());
    }
    assertThat(queue.size()).isEqualTo(fits).isEqualTo(offered - 1);
    assertThat(queue.queued()).isEqualTo(fits);

    List<RequestEvent> out = new ArrayList<>();
    queue.drain(out, 1_000, 0);
    queue.offer(event(T).requestId("after").path(path).build());
    queue.drain(out, 1_000, 0);

    assertThat(out).hasSize(fits + 1);
    assertThat(out.get(fits).requestId()).isEqualTo("after");
    assertThat(queue.dropped()).isEqualTo(1);
  }

  @Test
  void eventsFromSeveralThreadsAllArriveEachThreadsInItsOrder() throws Exception {
    BatchQueue queue = new BatchQueue(64);
    int threads = 4;
    int each = 5_000;
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "t" + t;
      producers.add(
          new Thread(
              () -> {
                for (int n = 0; n < each; n++) {
                  queue.offer(event(T).node(name).requestId(Integer.toString(n)).build());
                }
              }));
    }
    producers.forEach(Thread::start);
    List<RequestEvent> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (out.size() + queue.dropped() < (long) threads * each && System.nanoTime() < deadline) {
      queue.drain(out, 512, 10);
    }
    for (Thread p : producers) {
      p.join(10_000);
    }

    assertThat(out.size() + queue.dropped()).isEqualTo((long) threads * each);
    assertThat(queue.queued()).isEqualTo(out.size());
    for (int t = 0; t < threads; t++) {
      String name = "t" + t;
      List<Integer> ids =
          out.stream()
              .filter(e -> e.node().equals(name))
              .map(e -> Integer.parseInt(e.requestId()))
              .toList();
      assertThat(ids).as("thread %s", name).isSorted();
    }
  }

  @Test
  void aWaitingWriterWakesForTheFirstEvent() throws Exception {
    BatchQueue queue = new BatchQueue(16);
    List<RequestEvent> out = new ArrayList<>();
    CompletableFuture<Void> drained =
        CompletableFuture.runAsync(
            () -> {
              try {
                queue.drain(out, 10, 60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread.sleep(50); // most likely parked by now; either way the event must be taken
    queue.offer(event(T).requestId("wake").build());

    drained.get(30, TimeUnit.SECONDS);
    assertThat(out).extracting(RequestEvent::requestId).containsExactly("wake");
  }
}
