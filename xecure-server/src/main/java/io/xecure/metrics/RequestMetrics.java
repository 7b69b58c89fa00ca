package io.xecure.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.xecure.events.EventSink;
import io.xecure.events.RequestEvent;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Counts and times every request event. It runs on the event loop for every request, so a meter is
 * registered (tags built, registry consulted) only the first time its API and decision are seen;
 * after that a request costs one look-up by API, one by decision and three meter updates.
 */
final class RequestMetrics implements EventSink {
  /** The label value of an absent API, code or reason. */
  static final String NONE = "none";

  /**
   * Fixed buckets, from the gateway's own overhead (well under a millisecond) to the longest
   * upstream timeouts: enough for latency SLOs and quantile estimates, a dozen series per API.
   */
  private static final Duration[] BUCKETS = {
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, ApiMeters> byApi = new ConcurrentHashMap<>();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void record(RequestEvent event) {
    String api = orNone(event.api());
    ApiMeters meters = byApi.get(api);
    if (meters == null) {
      meters = byApi.computeIfAbsent(api, ApiMeters::new);
    }
    meters.count(event);
    meters.latency.record(event.latencyMicros(), TimeUnit.MICROSECONDS);
    if (event.upstreamLatencyMicros() >= 0) {
      meters.upstream().record(event.upstreamLatencyMicros(), TimeUnit.MICROSECONDS);
    }
  }

  static String statusClass(int status) {
    int c = status / 100;
    return c >= 0 && c < STATUS_CLASSES.length ? STATUS_CLASSES[c] : "other";
  }

  private static String orNone(@Nullable String value) {
    return value == null ? NONE : value;
  }

  private static Timer.Builder histogram(String name, String description, String api) {
    return Timer.builder(name)
        .description(description)
        .tag("api", api)
        .publishPercentileHistogram(false)
        .serviceLevelObjectives(BUCKETS);
  }

  /** The labels of one requests counter besides the API; cheap to build, equal by value. */
  private record Decision(String outcome, String code, String reason, String statusClass) {}

  /** The meters of one API (or of {@code none}: requests refused before routing). */
  private final class ApiMeters {
    private final String api;
    private final Timer latency;
    private final ConcurrentHashMap<Decision, Counter> requests = new ConcurrentHashMap<>();

    /** Registered on the first forwarded request, so that "none" shows no upstream histogram. */
    private volatile @Nullable Timer upstream;

    ApiMeters(String api) {
      this.api = api;
      this.latency =
          histogram(
                  "xecure.request.duration",
                  "From a request's arrival to the end of its response, upstream included",
                  api)
              .register(registry);
    }

    void count(RequestEvent event) {
      Decision decision =
          new Decision(
              event.outcome(),
              orNone(event.code()),
              orNone(event.reason()),
              statusClass(event.status()));
      Counter counter = requests.get(decision);
      if (counter == null) {
        counter = requests.computeIfAbsent(decision, this::register);
      }
      counter.increment();
    }

    private Counter register(Decision d) {
      return Counter.builder("xecure.requests")
          .description("Requests by API and decision: outcome, problem code and its exact reason")
          .tag("api", api)
          .tag("outcome", d.outcome())
          .tag("code", d.code())
          .tag("reason", d.reason())
          .tag("status_class", d.statusClass())
          .register(registry);
    }

    Timer upstream() {
      Timer timer = upstream;
      if (timer == null) {
        // two threads may both get here: the registry answers both with the same timer
        timer =
            histogram(
                    "xecure.upstream.duration",
                    "From sending a request upstream to the upstream's response headers",
                    api)
                .register(registry);
        upstream = timer;
      }
      return timer;
    }
  }
}
