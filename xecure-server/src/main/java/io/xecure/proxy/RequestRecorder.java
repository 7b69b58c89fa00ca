package io.xecure.proxy;

import io.vertx.core.http.HttpServerRequest;
import io.xecure.events.EventSink;
import io.xecure.events.RequestEvent;
import io.xecure.keys.IndexedKey;
import io.xecure.keys.KeyOutcome;
import io.xecure.pipeline.Exchange;
import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.problem.ProblemCode;
import io.xecure.store.Developer;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Turns a finished request into a {@link RequestEvent} (SPEC §7) and hands it to the sink. The
 * recorded path is redacted: the values of the route's query key fields are replaced, and a request
 * refused before routing is recorded without its query string, so no key is ever recorded.
 */
final class RequestRecorder {
  static final String REDACTED = "REDACTED";
  private static final int MAX_USER_AGENT = 256;

  private final EventSink sink;
  private final String node;
  private final Clock clock;

  RequestRecorder(EventSink sink, String node, Clock clock) {
    this.sink = sink;
    this.node = node;
    this.clock = clock;
  }

  void record(Exchange exchange) {
    HttpServerRequest request = exchange.request();
    ProblemCode refusal = exchange.refusal();
    IndexedKey key = exchange.key();
    Developer developer = exchange.developer();
    KeyOutcome outcome = exchange.keyOutcome();
    long upstream = exchange.upstreamNanos();
    boolean upstreamFailure =
        refusal == ProblemCode.UPSTREAM_TIMEOUT || refusal == ProblemCode.UPSTREAM_UNAVAILABLE;
    sink.record(
        new RequestEvent(
            clock.instant(),
            exchange.requestId(),
            node,
            exchange.route().name(),
            request.method().name(),
            redactedPath(exchange),
            request.response().getStatusCode(),
            refusal == null || upstreamFailure ? "granted" : "denied",
            refusal == null ? null : refusal.code(),
            refusal == null ? null : reason(exchange, outcome),
            key == null ? null : key.id(),
            developer == null ? null : developer.id(),
            exchange.clientIp(),
            userAgent(request),
            (System.nanoTime() - exchange.startNanos()) / 1000,
            upstream < 0 ? -1 : upstream / 1000));
  }

  void recordRefusal(HttpServerRequest request, long start, String requestId, ProblemCode code) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    sink.record(
        new RequestEvent(
            clock.instant(),
            requestId,
            node,
            null,
            request.method().name(),
            path.length() > 1024 ? path.substring(0, 1024) : path,
            code.status(),
            "denied",
            code.code(),
            code.code(),
            null,
            null,
            ClientAddress.peer(request),
            userAgent(request),
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

  private static String redactedPath(Exchange exchange) {
    String query = exchange.rawQuery();
    if (query == null) {
      return exchange.path();
    }
    String redacted = query;
    for (KeyLocation location : exchange.route().api().keyAuth().in()) {
      if (location.kind() == KeyLocation.Kind.QUERY) {
        redacted = redact(redacted, location.name());
      }
    }
    return exchange.path() + '?' + redacted;
  }

  /** Replaces the value of every pair whose name is {@code name} (raw or percent-decoded). */
  static String redact(String query, String name) {
    StringBuilder out = new StringBuilder(query.length());
    for (String pair : query.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      if (eq >= 0 && sameName(rawName, name)) {
        out.append(rawName).append('=').append(REDACTED);
      } else {
        out.append(pair);
      }
    }
    return out.toString();
  }

  private static boolean sameName(String raw, String name) {
    if (raw.equals(name)) {
      return true;
    }
    try {
      return name.equals(java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static @Nullable String userAgent(HttpServerRequest request) {
    String ua = request.getHeader("user-agent");
    return ua == null || ua.length() <= MAX_USER_AGENT ? ua : ua.substring(0, MAX_USER_AGENT);
  }
}
