package io.xecure.demo;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The services a demo cluster runs on, asked before any node starts: each that does not answer is
 * told in one line naming it, why, and how to start one or point at another. Nothing here echoes a
 * password: addresses are shown without a URL's query or user information.
 */
public final class DemoServices {
  /** The schema names the demo accepts: plain lower-case PostgreSQL identifiers. */
  public static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private static final int CONNECT_SECONDS = 2;
  private static final int ANSWER_SECONDS = 5;

  private DemoServices() {}

  /**
   * Connects to PostgreSQL and creates {@code schema} when missing (never drops or empties it);
   * null when that worked, else the one line to print.
   */
  public static @Nullable String preparePostgres(String url, String user, String schema) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("connectTimeout", String.valueOf(CONNECT_SECONDS));
    p.setProperty("loginTimeout", String.valueOf(ANSWER_SECONDS));
    p.setProperty("socketTimeout", String.valueOf(ANSWER_SECONDS));
    try {
      // named explicitly: a shaded jar may not have merged the drivers' service files
      Class.forName("org.postgresql.Driver");
      try (Connection c = DriverManager.getConnection(url, p);
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      }
      return null;
    } catch (SQLException | ClassNotFoundException e) {
      return "xecure demo: no PostgreSQL at "
          + withoutQuery(url)
          + " as user "
          + user
          + " ("
          + firstSentence(e.getMessage())
          + "); start one (docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust"
          + " -e POSTGRES_DB=test postgres:16) or point at yours with --store-url and --store-user";
    }
  }

  /** Connects to Redis and sends PING; null when it answered, else the one line to print. */
  public static @Nullable String checkRedis(Vertx vertx, String url) {
    String reason;
    Redis client =
        Redis.createClient(
            vertx,
            new RedisOptions()
                .setConnectionString(url)
                .setNetClientOptions(
                    new NetClientOptions().setConnectTimeout(CONNECT_SECONDS * 1000)));
    try {
      client
          .connect()
          .compose(c -> c.send(Request.cmd(Command.PING)).andThen(r -> c.close()))
          .toCompletionStage()
          .toCompletableFuture()
          .get(ANSWER_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      reason = firstSentence(cause.getMessage());
    } catch (TimeoutException e) {
      reason = "no answer within " + ANSWER_SECONDS + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } catch (RuntimeException e) {
      reason = firstSentence(e.getMessage());
    } finally {
      client.close();
    }
    return "xecure demo: no Redis at "
        + address(url)
        + " ("
        + reason
        + "); start one (docker run -d -p 6379:6379 redis:7) or point at yours with --redis";
  }

  /** {@code url} with {@code schema} as the connections' current schema. */
  public static String withSchema(String url, String schema) {
    String cleaned = url.replaceAll("([?&])currentSchema=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return cleaned + (cleaned.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** A JDBC URL's query may hold a password: never print it. */
  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** Host and port of a Redis URL, without the password it may hold. */
  private static String address(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    } catch (IllegalArgumentException e) {
      return "the --redis URL";
    }
  }

  /** A driver's message to its first sentence, on one line. */
  private static String firstSentence(@Nullable String message) {
    if (message == null || message.isBlank()) {
      return "no reason given";
    }
    String line = message.strip().replaceAll("\\s+", " ");
    int end = line.indexOf(". ");
    return end < 0 ? line : line.substring(0, end);
  }
}
