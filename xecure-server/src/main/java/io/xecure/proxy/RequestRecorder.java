package io.xecure.proxy;

import io.vertx.core.http.HttpHeaders;
import io.xecure.events.EventSink;
import io.xecure.events.RequestEvent;
import io.xecure.keys.IndexedKey;
import io.xecure.keys.KeyOutcome;
import io.xecure.model.Developer;
import io.xecure.pipeline.ClientRequest;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.Route;
import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.problem.ProblemCode;
import io.xecure.routing.RouteTable;
import io.xecure.scrub.Scrubber;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns a finished request into a {@link RequestEvent} (SPEC §7) and hands it to the sink. The
 * strings a client chose (path and query, user agent) pass the {@link Scrubber} before anything
 * else sees them, so every sink (store, events file, access log, usage, detectors, metrics) gets
 * them without keys: keys by shape wherever they stand, and the values of credential parameters,
 * among them every query key location of the current routes.
 */
final class RequestRecorder {
  private static final int MAX_USER_AGENT = 256;
  private static final int MAX_PATH = 1024;

  /** The scrubber for one route table: its APIs' query key fields added to the base names. */
  private record ForTable(RouteTable table, Scrubber scrubber) {}

  private final EventSink sink;
  private final String node;
  private final Scrubber base;
  private final Supplier<RouteTable> routes;
  private final Clock clock;
  private volatile @Nullable ForTable current;

  RequestRecorder(
      EventSink sink, String node, Scrubber base, Supplier<RouteTable> routes, Clock clock) {
    this.sink = sink;
    this.node = node;
    this.base = base;
    this.routes = routes;
    this.clock = clock;
  }

  void record(Exchange exchange) {
    ClientRequest request = exchange.request();
    ProblemCode refusal = exchange.refusal();
    IndexedKey key = exchange.key();
    Developer developer = exchange.developer();
    KeyOutcome outcome = exchange.keyOutcome();
    long upstream = exchange.upstreamNanos();
    boolean upstreamFailure =
        refusal == ProblemCode.UPSTREAM_TIMEOUT || refusal == ProblemCode.UPSTREAM_UNAVAILABLE;
    Scrubber scrubber = scrubber();
    String query = exchange.rawQuery();
    String path = query == null ? exchange.path() : exchange.path() + '?' + query;
    sink.record(
        new RequestEvent(
            clock.instant(),
            exchange.requestId(),
            node,
            exchange.route().name(),
            request.method().name(),
            scrubber.scrub(path),
            request.response().getStatusCode(),
            refusal == null || upstreamFailure ? "granted" : "denied",
            refusal == null ? null : refusal.code(),
            refusal == null ? null : reason(exchange, outcome),
            key == null ? null : key.id(),
            developer == null ? null : developer.id(),
            exchange.clientIp(),
            userAgent(request, scrubber),
            (System.nanoTime() - exchange.startNanos()) / 1000,
            upstream < 0 ? -1 : upstream / 1000));
  }

  /**
   * A request refused before routing: its target as sent without the query (no route says which of
   * its fields hold keys), scrubbed, then cut to 1 KiB.
   */
  void recordRefusal(ClientRequest request, long start, String requestId, ProblemCode code) {
    Scrubber scrubber = scrubber();
    String uri = request.uri();
    int q = uri.indexOf('?');
    sink.record(
        new RequestEvent(
            clock.instant(),
            requestId,
            node,
            null,
            request.method().name(),
            cut(scrubber.scrub(q < 0 ? uri : uri.substring(0, q)), MAX_PATH),
            code.status(),
            "denied",
            code.code(),
            code.code(),
            null,
            null,
            request.peer(),
            userAgent(request, scrubber),
            (System.nanoTime() - start) / 1000,
            -1));
  }

  private static @Nullable String reason(Exchange exchange, @Nullable KeyOutcome outcome) {
    String reason = exchange.reason();
    if (reason == null && outcome != null) {
      return outcome.reason();
    }
    return reason;
  }

  /** Built once per route table (a config change swaps the table), not per request. */
  private Scrubber scrubber() {
    RouteTable table = routes.get();
    ForTable known = current;
    if (known != null && known.table() == table) {
      return known.scrubber();
    }
    List<String> names = new ArrayList<>();
    for (Route route : table.routes()) {
      for (KeyLocation location : route.api().keyAuth().in()) {
        if (location.kind() == KeyLocation.Kind.QUERY) {
          names.add(location.name());
        }
      }
    }
    Scrubber scrubber = base.withParams(names);
    current = new ForTable(table, scrubber);
    return scrubber;
  }

  /** Scrubbed first, then cut: a cut never leaves part of a key behind. */
  private static @Nullable String userAgent(ClientRequest request, Scrubber scrubber) {
    String ua = request.getHeader(HttpHeaders.USER_AGENT);
    return ua == null ? null : cut(scrubber.scrub(ua), MAX_USER_AGENT);
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
