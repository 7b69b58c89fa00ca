package io.xecure.pipeline;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.xecure.keys.IndexedKey;
import io.xecure.keys.KeyOutcome;
import io.xecure.model.Developer;
import io.xecure.problem.ProblemCode;
import io.xecure.problem.ProblemJson;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Typed state of one request as it goes through the pipeline. Created by the proxy once the path is
 * canonical and the route known; filled by policies; read by the forwarder and the recorder.
 * Confined to one event loop, so nothing here is synchronised.
 */
public final class Exchange {
  private final String requestId;
  private final ClientRequest request;
  private final long startNanos;
  private final String path;
  private final @Nullable String rawQuery;
  private final Route route;
  private final String clientIp;
  private final Supplier<OutboundRequest> outboundOf;
  // built on first use: a request refused before any policy edits it (a wrong key) never needs one
  private @Nullable OutboundRequest outbound;
  private boolean identified;

  private @Nullable Buffer body;
  private @Nullable IndexedKey key;
  private @Nullable Developer developer;
  private @Nullable KeyOutcome keyOutcome;
  private @Nullable ProblemCode refusal;
  private @Nullable String reason;
  private boolean answered;
  private long upstreamNanos = -1;
  private @Nullable Runnable abort;

  public Exchange(
      String requestId,
      ClientRequest request,
      long startNanos,
      String path,
      @Nullable String rawQuery,
      Route route,
      String clientIp,
      Supplier<OutboundRequest> outbound) {
    this.requestId = requestId;
    this.request = request;
    this.startNanos = startNanos;
    this.path = path;
    this.rawQuery = rawQuery;
    this.route = route;
    this.clientIp = clientIp;
    this.outboundOf = outbound;
  }

  public String requestId() {
    return requestId;
  }

  public ClientRequest request() {
    return request;
  }

  public ClientResponse response() {
    return request.response();
  }

  public long startNanos() {
    return startNanos;
  }

  /** The canonical path: what routing and access rules saw and what the upstream receives. */
  public String path() {
    return path;
  }

  /** The query string as the client sent it, without '?'. */
  public @Nullable String rawQuery() {
    return rawQuery;
  }

  /** What the upstream will receive; policies edit it, never the inbound request. */
  public OutboundRequest outbound() {
    OutboundRequest o = outbound;
    if (o == null) {
      o = outboundOf.get();
      if (body != null) {
        o.body(body);
      }
      if (identified) {
        o.identify(key, developer);
      }
      outbound = o;
    }
    return o;
  }

  public Route route() {
    return route;
  }

  /** The client's address: the TCP peer, or from X-Forwarded-For of a trusted proxy. */
  public String clientIp() {
    return clientIp;
  }

  /** Time from sending upstream to the response head, or -1 when never forwarded. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  public void upstreamNanos(long nanos) {
    this.upstreamNanos = nanos;
  }

  /** The inbound body as the client sent it, when a policy had to read it; else null. */
  public @Nullable Buffer body() {
    return body;
  }

  /**
   * Records the inbound body a policy read. Its stream is consumed, so it also becomes the body the
   * upstream receives, until a policy sets another on {@link #outbound}.
   */
  public void body(Buffer body) {
    this.body = body;
    if (outbound != null) {
      outbound.body(body);
    }
  }

  public @Nullable IndexedKey key() {
    return key;
  }

  public @Nullable Developer developer() {
    return developer;
  }

  /** Records the authenticated caller (null key and developer: anonymous). */
  public void authenticate(@Nullable IndexedKey key, @Nullable Developer developer) {
    this.key = key;
    this.developer = developer;
    this.identified = true;
    if (outbound != null) {
      outbound.identify(key, developer);
    }
  }

  public @Nullable KeyOutcome keyOutcome() {
    return keyOutcome;
  }

  public void keyOutcome(KeyOutcome outcome) {
    this.keyOutcome = outcome;
  }

  public boolean refused() {
    return refusal != null;
  }

  public @Nullable ProblemCode refusal() {
    return refusal;
  }

  /** The exact reason of a refusal for the audit record (e.g. {@code revoked}); never public. */
  public @Nullable String reason() {
    return reason;
  }

  /** What ends this exchange's upstream request early; set by whoever started it. */
  public void onAbort(Runnable action) {
    this.abort = action;
  }

  /**
   * Ends the upstream request, if one is in flight, because the client's side is over (the gateway
   * refused the rest of the request): its pooled connection is not left waiting for a body.
   */
  public void abort() {
    Runnable action = abort;
    abort = null;
    if (action != null) {
      action.run();
    }
  }

  /** Whether the gateway answered the request itself (see {@link #answer}). */
  public boolean answered() {
    return answered;
  }

  /**
   * Ends the exchange with the gateway's own answer, without a body and without forwarding (a CORS
   * preflight). The caller sets the response headers first. Not a refusal: recorded as granted.
   */
  public Future<Void> answer(int status) {
    this.answered = true;
    ClientResponse response = request.response();
    if (!response.ended()) {
      response.putHeader("x-request-id", requestId).setStatusCode(status).end();
    }
    return Future.succeededFuture();
  }

  /**
   * Ends the exchange with a problem. {@code detail} is public: fixed text, never the presented
   * key. {@code reason} is the exact cause, kept for the audit event only.
   */
  public Future<Void> refuse(ProblemCode code, String detail, String reason) {
    this.refusal = code;
    this.reason = reason;
    ProblemJson.send(request.response(), code, detail, requestId);
    return Future.succeededFuture();
  }
}
