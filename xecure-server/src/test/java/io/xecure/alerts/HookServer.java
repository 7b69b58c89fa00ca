package io.xecure.alerts;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
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
 * order, then 200.
 */
final class HookServer implements AutoCloseable {
  record Delivery(MultiMap headers, Buffer body) {
    String header(String name) {
      return headers.get(name);
    }
  }

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
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks/xecure";
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              received.add(
                  new Delivery(HttpHeaders.headers().addAll(request.headers()), body.copy()));
              Integer status = statuses.poll();
              request.response().setStatusCode(status == null ? 200 : status).end();
            });
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
