package io.xecure.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xecure.config.AlertsConfig;
import io.xecure.model.Alert;
import io.xecure.model.AlertType;
import io.xecure.scrub.Scrubber;
import io.xecure.testing.Eventually;
import io.xecure.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real receiver: signed, retried on 5xx with backoff, final on other 4xx. */
class WebhookSenderTest {
  static final String SECRET = "whsec-0123456789abcdef";
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Alert ALERT =
      new Alert(
          "alr_test1",
          AlertType.BRUTE_FORCE,
          "203.0.113.9",
          "20 invalid API keys; blocked for 300 s",
          NOW,
          NOW,
          1,
          Alert.Status.OPEN,
          null,
          null);

  final Vertx vertx = Vertx.vertx();
  final MutableClock clock = new MutableClock(NOW);

  @SuppressWarnings("NullAway.Init") // set by start(), first thing in each test
  HookServer hook;

  @SuppressWarnings("NullAway.Init")
  WebhookSender sender;

  /**
   * A sender to a fresh receiver. Its attempt timeout is far above what a loopback exchange takes
   * even on a machine at load 20: these tests count attempts, and an attempt abandoned as timed out
   * on a starved machine is retried while the receiver still takes it (one CI run saw both attempts
   * of a 5 s timeout cut). The waits are longer still, and end as soon as the outcome is there.
   */
  void start(int retries, Integer... statuses) throws Exception {
    start(Duration.ofSeconds(30), retries, statuses);
  }

  void start(Duration timeout, int retries, Integer... statuses) throws Exception {
    hook = new HookServer(statuses);
    sender =
        new WebhookSender(
            vertx,
            new AlertsConfig.Webhook(
                URI.create(hook.url()), SECRET, timeout, retries, Duration.ofMillis(10)),
            clock,
            Scrubber.DEFAULT);
  }

  @AfterEach
  void stop() throws Exception {
    sender.close();
    hook.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDeliveryIsSignedAndRetriedAfterA500() throws Exception {
    // two fresh-clone CI runs, a stop apart, saw every attempt of this test hang until
    // its timeout, for reasons not found (never reproduced alone or with its package, 120 runs);
    // so attempts of 10 s, retries to spare, and on failure the attempts (logged at INFO in tests)
    // and a thread dump
    start(Duration.ofSeconds(10), 5, 500, 503);

    sender.send(ALERT);

    awaitOrDump("delivered", sender::delivered);
    // an attempt abandoned at its timeout may still have been taken, so at least the three
    assertThat(hook.received).hasSizeGreaterThanOrEqualTo(3);
    for (HookServer.Delivery d : hook.received) {
      assertThat(d.header("X-Xecure-Signature"))
          .isEqualTo("sha256=" + HookServer.hmacHex(SECRET, d.body()));
      assertThat(d.header("X-Xecure-Timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
      assertThat(d.header("X-Xecure-Delivery")).isEqualTo("alr_test1");
      assertThat(d.header("content-type")).isEqualTo("application/json");
      JsonObject body = d.body().toJsonObject();
      assertThat(body.getString("event")).isEqualTo("alert.opened");
      assertThat(body.getString("timestamp")).isEqualTo("2026-03-10T12:00:00Z");
      assertThat(body.getJsonObject("alert")).isEqualTo(AlertJson.of(ALERT));
    }
    assertThat(sender.failed()).isZero();
  }

  private void awaitOrDump(String what, java.util.concurrent.Callable<Long> count)
      throws Exception {
    try {
      Eventually.await(what, Duration.ofSeconds(120), count, n -> n == 1);
    } catch (AssertionError e) {
      System.err.println(
          "deliveries received: " + hook.received.size() + "; threads:\n" + threadDump());
      throw e;
    }
  }

  private static String threadDump() {
    StringBuilder out = new StringBuilder();
    for (java.lang.management.ThreadInfo t :
        java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      out.append(t);
    }
    return out.toString();
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    start(3, 400);

    sender.send(ALERT);

    Eventually.await("answered", WAIT, () -> sender.failed() + sender.delivered(), n -> n == 1);
    assertThat(hook.received).hasSize(1);
    assertThat(sender.delivered()).isZero();
    assertThat(sender.failed()).isEqualTo(1);
  }

  @Test
  void retriesAreBounded() throws Exception {
    start(2, 500, 500, 500, 500);

    sender.send(ALERT);

    Eventually.await("failed", WAIT, sender::failed, n -> n == 1);
    assertThat(hook.received).as("the first attempt and 2 retries").hasSize(3);
  }

  @Test
  void aReceiverAnsweringAByteAtATimeIsCutOffAtTheTimeoutAndRetried() throws Exception {
    // each byte restarts an idle timeout: only a deadline for the whole attempt ends this one
    start(Duration.ofSeconds(2), 1, HookServer.TRICKLE);

    sender.send(ALERT);

    Eventually.await("delivered", Duration.ofSeconds(60), sender::delivered, n -> n == 1);
    assertThat(hook.received).as("the trickled attempt and its retry").hasSize(2);
  }

  @Test
  void anUnreachableReceiverIsRetriedThenGivenUp() throws Exception {
    start(1);
    hook.close(); // nobody listens any more

    sender.send(ALERT);

    Eventually.await("failed", WAIT, sender::failed, n -> n == 1);
    assertThat(sender.delivered()).isZero();
  }
}
