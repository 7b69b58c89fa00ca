package io.xecure.alerts;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.xecure.config.AlertsConfig;
import io.xecure.model.Alert;
import io.xecure.scrub.Scrubber;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each new alert to {@code alerts.webhook.url} as JSON:
 *
 * <pre>{"event": "alert.opened", "timestamp": "2026-...Z", "alert": {...as GET /admin/alerts}}
 * </pre>
 *
 * with {@code X-Xecure-Signature: sha256=<hex HMAC-SHA256(secret, body)>}, {@code
 * X-Xecure-Timestamp} (Unix seconds, the body's {@code timestamp}: it is signed with the body, so a
 * receiver can refuse stale replays) and {@code X-Xecure-Delivery} (the alert id: the same on every
 * attempt, for receivers to drop duplicates).
 *
 * <p>Each attempt has {@code timeout} in all, from asking for a connection to the answer's last
 * byte: a receiver that never answers, or answers a byte at a time, is cut off and its request
 * reset. A connection failure, a timeout, 408, 429 or 5xx is retried up to {@code retries} times,
 * waiting {@code backoff}, then twice as long each time (at most 5 minutes); each attempt is signed
 * afresh. Other answers are final. Everything runs on the Vert.x client and timers, never on the
 * request path; at most {@value #MAX_IN_FLIGHT} alerts are being delivered at once, beyond that one
 * is dropped, logged and counted.
 */
final class WebhookSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

  static final int MAX_IN_FLIGHT = 1000;
  static final long MAX_BACKOFF_MS = 300_000;
  static final String SIGNATURE = "X-Xecure-Signature";
  static final String TIMESTAMP = "X-Xecure-Timestamp";
  static final String DELIVERY = "X-Xecure-Delivery";

  private final Vertx vertx;
  private final AlertsConfig.Webhook config;
  private final Clock clock;
  private final Scrubber scrubber;
  private final HttpClientAgent client;
  private final SecretKeySpec key;
  private final String target;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  WebhookSender(Vertx vertx, AlertsConfig.Webhook config, Clock clock, Scrubber scrubber) {
    this.vertx = vertx;
    this.scrubber = scrubber;
    this.config = config;
    this.clock = clock;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    this.key = new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    // the URL's path or query may hold a token (Slack, Teams): logs name the host only
    this.target = config.url().getHost();
  }

  void send(Alert alert) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      dropped.increment();
      LOG.warn(
          "alert {} not posted to {}: {} deliveries in flight", alert.id(), target, MAX_IN_FLIGHT);
      return;
    }
    attempt(alert, 0);
  }

  private void attempt(Alert alert, int attempt) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // scrubbed before it is signed: what leaves the gateway is what the signature covers
    Buffer body =
        Buffer.buffer(
            scrubber.scrub(
                new JsonObject()
                    .put("event", "alert.opened")
                    .put("timestamp", now.toString())
                    .put("alert", AlertJson.of(alert))
                    .encode()));
    MultiMap headers =
        HttpHeaders.headers()
            .set(HttpHeaders.CONTENT_TYPE, "application/json")
            .set(HttpHeaders.USER_AGENT, "xecure-gateway")
            .set(SIGNATURE, "sha256=" + sign(body.getBytes()))
            .set(TIMESTAMP, Long.toString(now.getEpochSecond()))
            .set(DELIVERY, alert.id());
    long timeout = config.timeout().toMillis();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(config.url().toString())
            .setHeaders(headers)
            .setConnectTimeout(timeout)
            .setIdleTimeout(timeout);
    post(options, body, timeout)
        .onComplete(
            r -> {
              int status = r.succeeded() ? r.result() : -1;
              String why = r.succeeded() ? "answered " + status : r.cause().toString();
              answered(alert, attempt, status, why);
            });
  }

  /**
   * The status answered, after reading the body so the connection can be reused; failed with a
   * {@link TimeoutException} when the whole exchange takes longer than {@code timeoutMillis} (the
   * request's own idle timeout restarts with every byte).
   */
  private Future<Integer> post(RequestOptions options, Buffer body, long timeoutMillis) {
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    AtomicBoolean abandoned = new AtomicBoolean();
    return client
        .request(options)
        .compose(
            request -> {
              sent.set(request);
              if (abandoned.get()) { // a connection came after the deadline: send nothing late
                request.reset();
                return Future.failedFuture(new TimeoutException("no connection in time"));
              }
              return request.send(body);
            })
        .compose(response -> response.body().map(b -> response.statusCode()))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .onFailure(
            e -> {
              if (e instanceof TimeoutException) {
                abandoned.set(true);
                HttpClientRequest request = sent.get();
                if (request != null) {
                  request.reset(); // the connection is not left to the abandoned exchange
                }
              }
            });
  }

  private void answered(Alert alert, int attempt, int status, String why) {
    if (status >= 200 && status < 300) {
      delivered.increment();
      inFlight.decrementAndGet();
      return;
    }
    boolean retryable = status < 0 || status == 408 || status == 429 || status >= 500;
    if (retryable && attempt < config.retries()) {
      long wait = Math.min(MAX_BACKOFF_MS, config.backoff().toMillis() << Math.min(attempt, 20));
      LOG.info(
          "alert {}: attempt {} to {} failed ({}); retrying in {} ms",
          alert.id(),
          attempt + 1,
          target,
          why,
          wait);
      vertx.setTimer(Math.max(1, wait), t -> attempt(alert, attempt + 1));
      return;
    }
    failed.increment();
    inFlight.decrementAndGet();
    LOG.warn(
        "alert {} not posted to {}: {} after {} attempts", alert.id(), target, why, attempt + 1);
  }

  /** Lowercase hex of HMAC-SHA256(secret, body). */
  String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  long delivered() {
    return delivered.sum();
  }

  long failed() {
    return failed.sum();
  }

  long dropped() {
    return dropped.sum();
  }

  @Override
  public void close() {
    client.close();
  }
}
