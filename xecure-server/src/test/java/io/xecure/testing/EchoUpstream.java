package io.xecure.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real upstream HTTP server on 127.0.0.1 that records every request it receives completely
 * (method, target, headers, body) and answers {@code {"ok":true}}. Paths with special meaning:
 * {@code /slow} answers after 2 s; {@code /big/N} streams N bytes; {@code /status/N} answers N;
 * {@code /cache-control/V} answers with {@code Cache-Control: V}.
 */
public final class EchoUpstream implements AutoCloseable {
  /** One request as the upstream saw it. */
  public record Received(String method, String uri, MultiMap headers, Buffer body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public EchoUpstream() throws Exception {
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(this::handle)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public List<Received> received() {
    return received;
  }

  public Received last() {
    if (received.isEmpty()) {
      throw new AssertionError("the upstream received no request");
    }
    return received.get(received.size() - 1);
  }

  public void clear() {
    received.clear();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              MultiMap headers = HttpHeaders.headers().addAll(request.headers());
              received.add(new Received(request.method().name(), request.uri(), headers, body));
              respond(request);
            });
  }

  private void respond(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/slow") || path.endsWith("/slow")) {
      vertx.setTimer(2000, t -> ok(request));
    } else if (path.contains("/big/")) {
      int size = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
      Buffer chunk = Buffer.buffer(new byte[8192]);
      var response = request.response().setChunked(true);
      int sent = 0;
      while (sent < size) {
        int n = Math.min(8192, size - sent);
        response.write(n == 8192 ? chunk : chunk.slice(0, n));
        sent += n;
      }
      response.end();
    } else if (path.contains("/cache-control/")) {
      request
          .response()
          .putHeader("cache-control", path.substring(path.lastIndexOf('/') + 1))
          .end("{\"ok\":true}");
    } else if (path.endsWith("/hop-by-hop")) {
      // hop-by-hop headers, in odd spellings, and one a Connection header names
      request
          .response()
          .putHeader("Connection", "keep-alive, X-Hop")
          .putHeader("X-Hop", "named by Connection")
          .putHeader("Keep_Alive", "timeout=5")
          .putHeader("PROXY-AUTHENTICATE", "Basic")
          .putHeader("Trailer", "X-Checksum")
          .putHeader("x-end-to-end", "kept")
          .putHeader("X_Custom_Name", "kept as spelled")
          .end("{\"ok\":true}");
    } else if (path.endsWith("/upstream-cors")) {
      // an upstream answering for CORS itself, as if no gateway stood in front
      request
          .response()
          .putHeader("Access-Control-Allow-Origin", "https://upstream.example")
          .putHeader("access-control-allow-credentials", "true")
          .putHeader("x-upstream", "echo")
          .end("{\"ok\":true}");
    } else if (path.endsWith("/reason")) {
      request.response().setStatusMessage("Fine Indeed").end("{\"ok\":true}");
    } else if (path.contains("/status/")) {
      int status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
      request.response().setStatusCode(status).end("{\"status\":" + status + "}");
    } else {
      ok(request);
    }
  }

  private static void ok(HttpServerRequest request) {
    request
        .response()
        .putHeader("content-type", "application/json")
        .putHeader("x-upstream", "echo")
        .end("{\"ok\":true}");
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
