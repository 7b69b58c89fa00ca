package io.xecure.alerts;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on 127.0.0.1: records every delivery and answers the statuses it is given, in
 * order, then 200. {@link #TRICKLE} for a status answers 200 and then one byte every 100 ms, never
 * ending.
 *
 * <p>It is warm when constructed: one uncounted round trip has loaded and run the HTTP server and
 * client code. The first HTTP exchange of a JVM costs seconds of class loading and interpretation
 * on a busy machine (5 s measured with 2 cores at load 20); left to a test's first delivery, it
 * fell inside the test's bounded wait and beyond the sender's attempt timeout, so the delivery was
 * abandoned, retried, and the abandoned request still took the first scripted status.
 */
final class HookServer implements AutoCloseable {
  record Delivery(MultiMap headers, Buffer body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private static final String WARM_UP = "/warm-up";
  static final int TRICKLE = 0;

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
  final List<Delivery> received = new CopyOnWriteArrayList<>();

  HookServer(Integer... statuses) throws Exception {
    this.statuses.addAll(List.of(statuses));
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(this::handle)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    warmUp();
  }

  /**
   * One request to {@link #WARM_UP}, answered but not recorded; up to three attempts of 10 s. The
   * warm-up only pays a cold JVM's first exchange before the test's timed waits begin, so when all
   * three time out the test goes on without it (one CI run saw a warm-up never answered).
   */
  private void warmUp() throws Exception {
    for (int attempt = 0; attempt < 3; attempt++) {
      HttpClientAgent client = vertx.createHttpClient();
      try {
        client
            .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", WARM_UP)
            .compose(request -> request.send())
            .compose(response -> response.body())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.TimeoutException e) {
        // try again on a new connection
      } finally {
        client.close();
      }
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks/xecure";
  }

  private void handle(HttpServerRequest request) {
    if (request.path().equals(WARM_UP)) {
      request.response().setStatusCode(204).end();
      return;
    }
    request
        .body()
        .onSuccess(
            body -> {
              received.add(
                  new Delivery(HttpHeaders.headers().addAll(request.headers()), body.copy()));
              Integer status = statuses.poll();
              if (status != null && status == TRICKLE) {
                trickle(request);
              } else {
                request.response().setStatusCode(status == null ? 200 : status).end();
              }
            });
  }

  private void trickle(HttpServerRequest request) {
    request.response().setChunked(true).setStatusCode(200).write("{");
    long timer = vertx.setPeriodic(100, t -> request.response().write(" "));
    request.connection().closeHandler(v -> vertx.cancelTimer(timer));
  }

  /** What a receiver computes to check a delivery: hex HMAC-SHA256 of the raw body. */
  static String hmacHex(String secret, Buffer body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
