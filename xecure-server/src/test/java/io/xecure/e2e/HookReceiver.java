package io.xecure.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on 127.0.0.1: keeps the body of every delivery and answers 204. */
final class HookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  HookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/hook",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            bodies.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  List<String> bodies() {
    return List.copyOf(bodies);
  }

  /** Waits (at most 15 s) until {@code count} deliveries have arrived. */
  void awaitDeliveries(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (bodies.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the webhook received " + bodies.size() + " of " + count);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
