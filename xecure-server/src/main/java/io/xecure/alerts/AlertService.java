package io.xecure.alerts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.xecure.config.AlertsConfig;
import io.xecure.model.Alert;
import io.xecure.model.AlertType;
import io.xecure.scrub.Scrubber;
import io.xecure.service.Ids;
import io.xecure.service.ServiceException;
import io.xecure.store.AdminEvent;
import io.xecure.store.AlertStore;
import io.xecure.store.AlertStore.Acknowledged;
import io.xecure.store.AlertStore.Raised;
import io.xecure.store.EventStore;
import io.xecure.store.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises, lists and acknowledges alerts. A raise is queued to one worker that writes it to the
 * {@link AlertStore} (which keeps one open alert per type and subject, across nodes), and an alert
 * that this raise opened is logged and posted to the webhook, if one is configured.
 *
 * <p>An alert stays open until an operator acknowledges it: it does not clear by itself when the
 * anomaly stops, since an attack that ended at night is still news in the morning. While it is
 * open, repeats only count into it (count, last_seen, latest detail) and are not posted again.
 *
 * <p>Raising never blocks and never fails the caller. At most {@value #MAX_PENDING} raises wait for
 * the store; beyond that, and when the store fails, a raise is lost, logged and counted in {@link
 * #stats()}. Detectors raise rarely (once per block, minute or window), so this bounds a flood, not
 * normal operation.
 */
public final class AlertService implements AlertRaiser, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

  static final int MAX_PENDING = 10_000;

  /**
   * What has happened since start-up, for metrics.
   *
   * @param raised occurrences reported by the detectors, by type
   * @param opened alerts this node opened (the others counted into an open one), by type
   * @param lost raises never stored: too many waiting, or the store failed
   * @param webhookDelivered alerts the webhook accepted (2xx)
   * @param webhookFailed alerts not delivered after every attempt
   * @param webhookDropped alerts not even tried: too many deliveries in flight
   */
  public record Stats(
      Map<AlertType, Long> raised,
      Map<AlertType, Long> opened,
      long lost,
      long webhookDelivered,
      long webhookFailed,
      long webhookDropped) {}

  private final Vertx vertx;
  private final AlertStore alerts;
  private final EventStore audit;
  private final Clock clock;
  private final Scrubber scrubber;
  private final WorkerExecutor writer;
  private final @Nullable WebhookSender webhook;
  private final AtomicInteger pending = new AtomicInteger();
  private final LongAdder[] raised = counters();
  private final LongAdder[] opened = counters();
  private final LongAdder lost = new LongAdder();
  private volatile Consumer<AlertType> onRaised = type -> {};

  /**
   * @param audit where {@code alert.acknowledged} admin events go
   * @param scrubber what every alert's subject and detail, and every webhook body, pass first
   */
  public AlertService(
      Vertx vertx,
      AlertStore alerts,
      EventStore audit,
      AlertsConfig config,
      Clock clock,
      Scrubber scrubber) {
    this.vertx = vertx;
    this.scrubber = scrubber;
    this.alerts = alerts;
    this.audit = audit;
    this.clock = clock;
    // one writer: raises of one node never race each other, only other nodes
    this.writer = vertx.createSharedWorkerExecutor("xecure-alerts", 1);
    AlertsConfig.Webhook hook = config.webhook();
    this.webhook = hook == null ? null : new WebhookSender(vertx, hook, clock, scrubber);
  }

  /** Subject and detail are scrubbed first: they are stored, logged and posted to the webhook. */
  @Override
  public void raise(AlertType type, String subject, String detail) {
    raiseScrubbed(type, scrubber.scrub(subject), scrubber.scrub(detail));
  }

  private void raiseScrubbed(AlertType type, String subject, String detail) {
    raised[type.ordinal()].increment();
    onRaised.accept(type);
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      lost.increment();
      LOG.warn(
          "alert {} on {} lost: {} alerts already wait for the store",
          type.wire(),
          subject,
          MAX_PENDING);
      return;
    }
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String id = Ids.alert(clock);
    writer
        .executeBlocking(() -> alerts.raiseAlert(id, type, subject, detail, at), true)
        .onComplete(
            r -> {
              pending.decrementAndGet();
              if (r.succeeded()) {
                stored(r.result());
              } else {
                lost.increment();
                LOG.warn("alert {} on {} lost: {}", type.wire(), subject, r.cause().toString());
              }
            });
  }

  private void stored(Raised r) {
    if (!r.opened()) {
      return;
    }
    Alert a = r.alert();
    opened[a.type().ordinal()].increment();
    LOG.warn("alert {} opened: {} on {}: {}", a.id(), a.type().wire(), a.subject(), a.detail());
    if (webhook != null) {
      webhook.send(a);
    }
  }

  /** Alerts newest first; null filters mean any. */
  public Future<Page<Alert>> list(
      Alert.@Nullable Status status, @Nullable AlertType type, int limit, @Nullable String cursor) {
    return vertx.executeBlocking(() -> alerts.alerts(status, type, limit, cursor), false);
  }

  /** The alert; fails with NOT_FOUND when there is none. */
  public Future<Alert> get(String id) {
    return vertx.executeBlocking(
        () -> alerts.alert(id).orElseThrow(() -> ServiceException.notFound("alert", id)), false);
  }

  /**
   * Acknowledges the alert and records {@code alert.acknowledged}; acknowledging it again changes
   * nothing and succeeds. Fails with NOT_FOUND when there is no such alert.
   */
  public Future<Alert> acknowledge(String actor, String id) {
    return vertx.executeBlocking(
        () -> {
          Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
          Acknowledged ack =
              alerts
                  .acknowledgeAlert(id, actor, now)
                  .orElseThrow(() -> ServiceException.notFound("alert", id));
          if (ack.changed()) {
            record(actor, ack.alert(), now);
          }
          return ack.alert();
        },
        false);
  }

  /** The acknowledgement is already durable: failing to audit it is logged, not reported. */
  private void record(String actor, Alert a, Instant now) {
    try {
      audit.appendAdminEvent(
          new AdminEvent(
              now,
              actor,
              "alert.acknowledged",
              a.id(),
              "type=" + a.type().wire() + " subject=" + a.subject()));
    } catch (RuntimeException e) {
      LOG.warn("admin event alert.acknowledged on {} not recorded: {}", a.id(), e.toString());
    }
  }

  /** Told of every raise (e.g. to count it in the metrics); must be cheap and never throw. */
  public void onRaised(Consumer<AlertType> listener) {
    this.onRaised = listener;
  }

  public Stats stats() {
    WebhookSender hook = webhook;
    return new Stats(
        snapshot(raised),
        snapshot(opened),
        lost.sum(),
        hook == null ? 0 : hook.delivered(),
        hook == null ? 0 : hook.failed(),
        hook == null ? 0 : hook.dropped());
  }

  /** One counter per type, by ordinal. */
  private static LongAdder[] counters() {
    LongAdder[] counters = new LongAdder[AlertType.values().length];
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new LongAdder();
    }
    return counters;
  }

  private static Map<AlertType, Long> snapshot(LongAdder[] counters) {
    Map<AlertType, Long> copy = new EnumMap<>(AlertType.class);
    for (AlertType t : AlertType.values()) {
      copy.put(t, counters[t.ordinal()].sum());
    }
    return Collections.unmodifiableMap(copy);
  }

  /** Stops posting; raises still queued may be lost. */
  @Override
  public void close() {
    if (webhook != null) {
      webhook.close();
    }
    writer.close();
  }
}
