package io.xecure.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run atomically by Redis: {@code EVALSHA} by its SHA-1, and {@code EVAL} with its
 * source when Redis answers {@code NOSCRIPT} (a restarted or failed-over Redis, or a Redis Cluster
 * shard that never saw it), which also caches it there for the next calls.
 */
final class RedisScript {
  private final String source;
  private final String sha;

  private RedisScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** The script of resource {@code name}, next to this class. */
  static RedisScript load(String name) {
    try (InputStream in = RedisScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name);
      }
      return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RedisScript of(String source) {
    return new RedisScript(source);
  }

  /** Runs the script on {@code keys} (all in one hash slot) with {@code args}. */
  Future<Response> run(RedisLink link, List<String> keys, List<String> args) {
    return link.send(request(Command.EVALSHA, sha, keys, args))
        .recover(
            e -> {
              if (e instanceof ErrorType error
                  && String.valueOf(error.getMessage()).startsWith("NOSCRIPT")) {
                return link.send(request(Command.EVAL, source, keys, args));
              }
              return Future.failedFuture(e);
            });
  }

  private static Request request(
      Command command, String script, List<String> keys, List<String> args) {
    Request r = Request.cmd(command).arg(script).arg(keys.size());
    for (String k : keys) {
      r.arg(k);
    }
    for (String a : args) {
      r.arg(a);
    }
    return r;
  }

  private static String sha1(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
