package io.xecure.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.xecure.policy.ratelimit.LimiterStore;
import io.xecure.policy.ratelimit.LimiterStoreContract;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limiter contract on Redis: the same answers as the memory store, to the same instants (the
 * store is given the test's clock instead of Redis's). No call may fall back to memory here, or the
 * contract would be proven on the wrong store.
 */
class RedisLimiterStoreTest extends LimiterStoreContract {
  private final Vertx vertx = Vertx.vertx();
  private final String prefix = TestRedis.prefix();
  private @Nullable RedisLink link;

  @BeforeEach
  void connect() {
    TestRedis.requireOrSkip();
    link = TestRedis.link(vertx, TestRedis.url(), Duration.ofSeconds(2), RedisLink.Listener.NONE);
  }

  @AfterEach
  void close() {
    RedisLink l = link;
    if (l != null) {
      assertThat(l.fallbacks()).as("decisions answered by memory instead of Redis").isZero();
      l.close();
      TestRedis.deleteAll(vertx, prefix);
    }
    vertx.close();
  }

  private RedisLink link() {
    RedisLink l = link;
    if (l == null) {
      throw new IllegalStateException("not connected");
    }
    return l;
  }

  @Override
  protected LimiterStore newStore(Clock clock) {
    return new RedisLimiterStore(
        link(), new RedisKeys(prefix), clock, new MemoryLimiterStore(clock), () -> 1);
  }

  @Test
  void onRedisTimeTheCounterIsOneHashUnderTheSubjectsHashTagKeptOnlyWhileItMatters() {
    PlanConfig plan = both(10, Duration.ofSeconds(1), 100, QuotaWindow.MINUTE);
    LimiterStore onRedisTime =
        new RedisLimiterStore(
            link(), new RedisKeys(prefix), null, new MemoryLimiterStore(clock), () -> 1);

    assertThat(await(onRedisTime.acquire(key("free", "key_1"), plan)).granted()).isTrue();

    String name = prefix + "{key:key_1}:limit:free";
    var fields = TestRedis.call(vertx, Request.cmd(Command.HGETALL).arg(name));
    assertThat(fields.size()).as("t, s and n").isEqualTo(6);
    long ttl = TestRedis.call(vertx, Request.cmd(Command.PTTL).arg(name)).toLong();
    assertThat(ttl).as("at most until the minute ends").isBetween(1L, 60_001L);
  }

  @Test
  void aScriptRedisHasNeverSeenIsSentWholeThenRunByItsDigest() {
    RedisLink l = link();
    // a script of its own: Redis cannot have cached it, so EVALSHA is answered NOSCRIPT first
    RedisScript script = RedisScript.of("-- " + prefix + "\nreturn ARGV[1]");

    var first = TestRedis.await(script.run(l, List.of(), List.of("one")), "first run");
    var second = TestRedis.await(script.run(l, List.of(), List.of("two")), "second run");

    assertThat(first.toString()).isEqualTo("one");
    assertThat(second.toString()).isEqualTo("two");
  }
}
