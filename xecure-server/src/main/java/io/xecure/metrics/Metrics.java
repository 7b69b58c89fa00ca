package io.xecure.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.xecure.clock.CoarseClock;
import io.xecure.cluster.ChangeApplier;
import io.xecure.events.EventSink;
import io.xecure.events.recorder.EventRecorder;
import io.xecure.keys.KeyIndex;
import io.xecure.net.limits.Limit;
import io.xecure.net.limits.ListenerLimits;
import io.xecure.policy.keyauth.BodyBudget;
import io.xecure.redis.RedisLink;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The gateway's meters, served by {@code GET /metrics} in the Prometheus text format. One instance
 * per gateway, with its own registry: two gateways in one JVM (as in tests) never share counts.
 *
 * <p>Labels carry API names, problem codes, reasons, status classes and alert types only: sets
 * bounded by the configuration and the code. Never a key, and no key, developer or client ids
 * either: those would make one series per caller.
 *
 * <ul>
 *   <li>{@code xecure_requests_total{api, outcome, code, reason, status_class}}: every request,
 *       {@code code} and {@code reason} {@code none} when granted, {@code api} {@code none} when
 *       refused before routing; see {@link #requests()}
 *   <li>{@code xecure_request_duration_seconds{api}}, {@code
 *       xecure_upstream_duration_seconds{api}}: histograms over a fixed set of buckets
 *   <li>{@code xecure_events_written_total}, {@code xecure_events_dropped_total}, {@code
 *       xecure_events_store_lag_seconds}: see {@link #bindEvents}
 *   <li>{@code xecure_key_index_size}, {@code xecure_key_index_ready}: see {@link #bindKeyIndex}
 *   <li>{@code xecure_alerts_total{type}}: see {@link #alertRaised}
 *   <li>{@code xecure_limiter_degraded}, {@code xecure_limiter_fallbacks_total}: see {@link
 *       #bindLimiter} (cluster mode only)
 *   <li>{@code xecure_change_lag}, {@code xecure_change_applied}, {@code
 *       xecure_cluster_nodes_live}: see {@link #bindCluster}
 *   <li>{@code xecure_connections_open{listener}}, {@code xecure_connections_refused_total}, {@code
 *       xecure_connections_timeouts_total{listener, limit}}, {@code xecure_buffered_bodies_bytes}:
 *       see {@link #bindListener} and {@link #bindBodyBudget}
 *   <li>the JVM's memory, GC, threads, CPU and uptime ({@code jvm_*}, {@code process_*}, {@code
 *       system_*})
 * </ul>
 */
public final class Metrics implements AutoCloseable {
  /** The alert types of SPEC §7, counted from zero so that a first alert shows as an increase. */
  public static final List<String> ALERT_TYPES =
      List.of(
          "brute_force",
          "usage_spike",
          "key_shared",
          "quota_near",
          "key_leaked",
          "limiter_degraded");

  /**
   * The registry's clock: it only turns the histograms' time windows (minutes), and the precise one
   * was read twice on every request (bench/results/coarse-clock-2026-12-07.md).
   */
  private static final Clock COARSE =
      new Clock() {
        @Override
        public long wallTime() {
          return CoarseClock.currentTimeMillis();
        }

        @Override
        public long monotonicTime() {
          return CoarseClock.nanoTime();
        }
      };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), COARSE);
  private final RequestMetrics requests = new RequestMetrics(registry);
  private final ConcurrentHashMap<String, Counter> alerts = new ConcurrentHashMap<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (String type : ALERT_TYPES) {
      alerts.put(type, alertCounter(type));
    }
  }

  /**
   * The sink that counts and times every request event. It runs on the event loop: after the first
   * request of a kind, recording is two map look-ups and three meter updates.
   */
  public EventSink requests() {
    return requests;
  }

  /**
   * Counts one alert of {@code type}: one of {@link #ALERT_TYPES}, or another fixed name in the
   * code, never a value from a request (each distinct type is a series). Thread-safe, never blocks.
   */
  public void alertRaised(String type) {
    Counter counter = alerts.get(type);
    if (counter == null) {
      counter = alerts.computeIfAbsent(type, this::alertCounter);
    }
    counter.increment();
  }

  private Counter alertCounter(String type) {
    return Counter.builder("xecure.alerts")
        .description("Alerts raised, by type")
        .tag("type", type)
        .register(registry);
  }

  /** The number of keys in memory, and whether the index is loaded (1) or still loading (0). */
  public void bindKeyIndex(KeyIndex index) {
    Gauge.builder("xecure.key.index.size", index, KeyIndex::size)
        .description("API keys held in the in-memory index")
        .strongReference(true)
        .register(registry);
    Gauge.builder("xecure.key.index.ready", index, i -> i.ready() ? 1 : 0)
        .description("1 once the key index is loaded; requests are refused with 503 until then")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Cluster mode: {@code xecure_change_lag} (changes committed but not yet applied by this node),
   * {@code xecure_change_applied} (the last change applied) and {@code xecure_cluster_nodes_live}.
   */
  public void bindCluster(ChangeApplier applier, IntSupplier liveNodes) {
    Gauge.builder("xecure.change.lag", applier, ChangeApplier::lag)
        .description("changes of the feed committed but not yet applied by this node")
        .strongReference(true)
        .register(registry);
    Gauge.builder("xecure.change.applied", applier, a -> Math.max(0, a.applied()))
        .description("the sequence of the last change of the feed this node applied")
        .strongReference(true)
        .register(registry);
    Gauge.builder("xecure.cluster.nodes.live", liveNodes, IntSupplier::getAsInt)
        .description("gateway nodes whose heartbeat is recent (within three intervals)")
        .strongReference(true)
        .register(registry);
  }

  /**
   * The event recorder's counts, read at scrape time. This is the one place that reads the
   * recorder: its queued (a gauge: events waiting in memory) and spooled (events kept on local disk
   * while the store is down) counts belong here too, once the recorder keeps them.
   */
  public void bindEvents(EventRecorder recorder) {
    FunctionCounter.builder("xecure.events.written", recorder, EventRecorder::written)
        .description("Request events written to the store")
        .register(registry);
    FunctionCounter.builder("xecure.events.dropped", recorder, EventRecorder::dropped)
        .description("Request events lost: the queue was full, or the store refused a batch")
        .register(registry);
    Gauge.builder("xecure.events.store.lag", recorder, EventRecorder::storeLagSeconds)
        .description(
            "How long ago the oldest request event the events file holds and the store lacks was"
                + " recorded (0: the store holds them all)")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * Cluster mode's link to Redis: {@code xecure_limiter_degraded} (1 while limits are per node
   * because Redis does not answer) and {@code xecure_limiter_fallbacks_total} (decisions a node
   * answered from its own counts).
   */
  public void bindLimiter(RedisLink link) {
    Gauge.builder("xecure.limiter.degraded", link, l -> l.up() ? 0 : 1)
        .description("1 while Redis does not answer and limits are per node")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder("xecure.limiter.fallbacks", link, RedisLink::fallbacks)
        .description("Limiter and brute-force decisions answered by this node alone")
        .register(registry);
  }

  /**
   * One listener's connections, labelled {@code listener} ({@code gateway} or {@code admin}):
   * {@code xecure_connections_open}, {@code xecure_connections_refused_total} (closed at accept
   * over {@code max_connections}) and {@code xecure_connections_timeouts_total{limit}} (closed by
   * {@code header_timeout}, {@code body_idle_timeout}, {@code idle_timeout} or {@code
   * response_write_timeout}).
   */
  public void bindListener(ListenerLimits limits) {
    String listener = limits.listener();
    Gauge.builder("xecure.connections.open", limits, ListenerLimits::open)
        .description("Client connections open on the listener")
        .tag("listener", listener)
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder("xecure.connections.refused", limits, ListenerLimits::refused)
        .description("Connections closed at accept: the listener was at max_connections")
        .tag("listener", listener)
        .register(registry);
    for (Limit limit : Limit.values()) {
      FunctionCounter.builder("xecure.connections.timeouts", limits, l -> l.timedOut(limit))
          .description("Connections closed or refused by a timeout of gateway.limits")
          .tag("listener", listener)
          .tag("limit", limit.label())
          .register(registry);
    }
  }

  /** {@code xecure_buffered_bodies_bytes}: bytes of request bodies held now to find a body key. */
  public void bindBodyBudget(BodyBudget budget) {
    Gauge.builder("xecure.buffered.bodies", budget, BodyBudget::used)
        .description("Bytes of request bodies held in memory to find a body key")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  /** Every meter, in the Prometheus text format (0.0.4). Walks the registry: not for a loop. */
  public String scrape() {
    return registry.scrape();
  }

  /** For meters that other parts of the gateway register themselves. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
