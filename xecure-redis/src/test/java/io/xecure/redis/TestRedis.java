package io.xecure.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Redis for tests, shared with other modules through this module's test-jar.
 *
 * <p>Redis is at {@code XECURE_TEST_REDIS_URL} (default {@value #DEFAULT_URL}). When it does not
 * answer, tests that need it are skipped with a printed line, unless {@code
 * XECURE_REQUIRE_SERVICES=1}: then they fail, so CI cannot go green by skipping. Every test writes
 * under its own random key prefix ({@link #prefix()}) and deletes only those keys: the Redis is
 * shared, so nothing here ever flushes it.
 */
public final class TestRedis {
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  private static @Nullable String unreachableReason;
  private static boolean probed;

  private TestRedis() {}

  public static String url() {
    String value = System.getenv("XECURE_TEST_REDIS_URL");
    return value == null || value.isBlank() ? DEFAULT_URL : value;
  }

  /** Host and port of {@link #url()}. */
  public static InetSocketAddress address() {
    URI uri = URI.create(url());
    return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  /** A fresh key prefix, {@code xecure-test:<random>:}, that no other test uses. */
  public static String prefix() {
    return "xecure-test:" + UUID.randomUUID().toString().replace("-", "") + ":";
  }

  /** Skips the calling test (fails it when services are required) unless Redis answers. */
  public static void requireOrSkip() {
    String reason = probe();
    if (reason != null) {
      String message =
          "Redis not reachable at "
              + address()
              + " ("
              + reason
              + "); set XECURE_TEST_REDIS_URL, or XECURE_REQUIRE_SERVICES=1 to fail instead of skip";
      if ("1".equals(System.getenv("XECURE_REQUIRE_SERVICES"))) {
        Assertions.fail(message);
      }
      Assumptions.abort("SKIPPED: " + message);
    }
  }

  /** A link to the test Redis (or to {@code url}), connected. */
  public static RedisLink link(Vertx vertx, String url, Duration timeout, RedisLink.Listener l) {
    RedisLink link = new RedisLink(vertx, url, timeout, l);
    await(link.connect().map(v -> null), "connect to Redis");
    return link;
  }

  /** Deletes every key under {@code prefix} (SCAN, never FLUSHDB: the Redis is shared). */
  public static void deleteAll(Vertx vertx, String prefix) {
    Redis client = Redis.createClient(vertx, url());
    try {
      String cursor = "0";
      for (int i = 0; i < 10_000; i++) {
        Response page =
            await(
                client.send(
                    Request.cmd(Command.SCAN)
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(prefix + "*")
                        .arg("COUNT")
                        .arg(1000)),
                "SCAN");
        cursor = page.get(0).toString();
        for (Response key : page.get(1)) {
          await(client.send(Request.cmd(Command.UNLINK).arg(key.toString())), "UNLINK");
        }
        if (cursor.equals("0")) {
          return;
        }
      }
    } finally {
      client.close();
    }
  }

  /** One command on a fresh connection, for assertions on what Redis holds. */
  public static Response call(Vertx vertx, Request request) {
    Redis client = Redis.createClient(vertx, url());
    try {
      return await(client.send(request), request.command().toString());
    } finally {
      client.close();
    }
  }

  public static <T> T await(io.vertx.core.Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(what + " failed", e);
    }
  }

  /** Null when Redis answers PING, else why not; asked once per JVM, printed once. */
  private static synchronized @Nullable String probe() {
    if (!probed) {
      probed = true;
      try (Socket s = new Socket()) {
        s.connect(address(), 2_000);
        s.setSoTimeout(2_000);
        OutputStream out = s.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] reply = new byte[5];
        int n = in.readNBytes(reply, 0, 5);
        if (n < 5 || !new String(reply, StandardCharsets.US_ASCII).equals("+PONG")) {
          unreachableReason = "no PONG to PING";
        }
      } catch (Exception e) {
        unreachableReason = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (unreachableReason != null) {
        System.err.println(
            "[xecure] Redis tests "
                + ("1".equals(System.getenv("XECURE_REQUIRE_SERVICES")) ? "FAIL" : "SKIPPED")
                + ": no Redis at "
                + address()
                + " ("
                + unreachableReason
                + ")");
      }
    }
    return unreachableReason;
  }
}
