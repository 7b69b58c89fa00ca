package io.xecure.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.xecure.policy.ratelimit.CounterKey;
import io.xecure.policy.ratelimit.CounterKey.Subject;
import org.junit.jupiter.api.Test;

/**
 * Redis Cluster runs a script only when every key it touches is in one slot. No Redis Cluster runs
 * here, so cluster mode is proven by this: every key one script touches has the same hash tag.
 */
class RedisKeysTest {
  private final RedisKeys keys = new RedisKeys("xecure:");

  /** The part of a key Redis Cluster hashes (its rules: the first {...} that is not empty). */
  static String hashTag(String key) {
    int open = key.indexOf('{');
    if (open < 0) {
      return key;
    }
    int close = key.indexOf('}', open + 1);
    return close < 0 || close == open + 1 ? key : key.substring(open + 1, close);
  }

  @Test
  void theGuardsFailuresAndBlockOfAClientShareOneHashTag() {
    for (String client : new String[] {"203.0.113.7", "2001:db8:1:2::/64"}) {
      assertThat(hashTag(keys.failures("client", client)))
          .isEqualTo(hashTag(keys.blocked("client", client)))
          .isEqualTo("client:" + client);
    }
  }

  @Test
  void aSignInAccountsFailuresAndBlockShareOneSlotWhateverItsEmail() {
    for (String account : new String[] {"ada@example.com", "a}b{c@example.com", "{}@x"}) {
      assertThat(hashTag(keys.failures("signin-portal-account", account)))
          .isEqualTo(hashTag(keys.blocked("signin-portal-account", account)));
    }
  }

  @Test
  void aCountersKeyIsTaggedByItsSubjectAndAKeysTrafficSharesThatTag() {
    String counter = keys.counter(new CounterKey("free", Subject.KEY, "key_1"));
    assertThat(hashTag(counter)).isEqualTo("key:key_1");
    assertThat(hashTag(keys.networks("key_1", 42))).isEqualTo("key:key_1");
    assertThat(hashTag(keys.requests("key_1", 42))).isEqualTo("key:key_1");
    // two counters of different subjects need not share a slot: no script touches both
    assertThat(hashTag(keys.counter(new CounterKey("free", Subject.DEVELOPER, "dev_1"))))
        .isEqualTo("developer:dev_1");
  }

  @Test
  void severalUrlsMeanARedisCluster() {
    RedisOptions one = RedisLink.endpoints("redis://127.0.0.1:6379");
    assertThat(one.getType()).isEqualTo(RedisClientType.STANDALONE);
    RedisOptions seeds = RedisLink.endpoints("redis://10.0.0.1:6379, redis://10.0.0.2:6379");
    assertThat(seeds.getType()).isEqualTo(RedisClientType.CLUSTER);
    assertThat(seeds.getEndpoints())
        .containsExactly("redis://10.0.0.1:6379", "redis://10.0.0.2:6379");
  }
}
