package io.xecure.testing;

import io.xecure.events.RequestEvent;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RequestEvent} for tests: an anonymous {@code GET /users} on the {@code users}
 * API, granted with 200, from 127.0.0.1, 1 ms in the gateway and 0.5 ms upstream. Tests set only
 * what they are about.
 */
public final class RequestEventBuilder {
  private Instant time;
  private String requestId = "req";
  private String node = "node";
  private @Nullable String api = "users";
  private String method = "GET";
  private String path = "/users";
  private int status = 200;
  private String outcome = "granted";
  private @Nullable String code;
  private @Nullable String reason;
  private @Nullable String keyId;
  private @Nullable String developerId;
  private String clientIp = "127.0.0.1";
  private @Nullable String userAgent;
  private long latencyMicros = 1000;
  private long upstreamLatencyMicros = 500;

  private RequestEventBuilder(Instant time) {
    this.time = time;
  }

  /** A granted request at {@code time}. */
  public static RequestEventBuilder event(Instant time) {
    return new RequestEventBuilder(time);
  }

  public RequestEventBuilder time(Instant time) {
    this.time = time;
    return this;
  }

  public RequestEventBuilder requestId(String requestId) {
    this.requestId = requestId;
    return this;
  }

  public RequestEventBuilder node(String node) {
    this.node = node;
    return this;
  }

  /** The API the request was routed to; null: refused before routing. */
  public RequestEventBuilder api(@Nullable String api) {
    this.api = api;
    return this;
  }

  public RequestEventBuilder method(String method) {
    this.method = method;
    return this;
  }

  public RequestEventBuilder path(String path) {
    this.path = path;
    return this;
  }

  /** A granted answer with {@code status} (an upstream's 500 is still granted). */
  public RequestEventBuilder status(int status) {
    this.status = status;
    return this;
  }

  /** A denial with its status, problem code and exact reason; nothing was sent upstream. */
  public RequestEventBuilder denied(int status, String code, @Nullable String reason) {
    this.status = status;
    this.outcome = "denied";
    this.code = code;
    this.reason = reason;
    this.upstreamLatencyMicros = -1;
    return this;
  }

  /** The outcome as written, for tests of how the store keeps odd values. */
  public RequestEventBuilder outcome(String outcome) {
    this.outcome = outcome;
    return this;
  }

  /** The caller: its key and developer. */
  public RequestEventBuilder key(@Nullable String keyId, @Nullable String developerId) {
    this.keyId = keyId;
    this.developerId = developerId;
    return this;
  }

  public RequestEventBuilder clientIp(String clientIp) {
    this.clientIp = clientIp;
    return this;
  }

  public RequestEventBuilder userAgent(@Nullable String userAgent) {
    this.userAgent = userAgent;
    return this;
  }

  public RequestEventBuilder latencies(long latencyMicros, long upstreamLatencyMicros) {
    this.latencyMicros = latencyMicros;
    this.upstreamLatencyMicros = upstreamLatencyMicros;
    return this;
  }

  public RequestEvent build() {
    return new RequestEvent(
        time,
        requestId,
        node,
        api,
        method,
        path,
        status,
        outcome,
        code,
        reason,
        keyId,
        developerId,
        clientIp,
        userAgent,
        latencyMicros,
        upstreamLatencyMicros);
  }
}
