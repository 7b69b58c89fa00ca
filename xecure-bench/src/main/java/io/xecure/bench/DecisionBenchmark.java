package io.xecure.bench;

import io.xecure.keys.IndexedKey;
import io.xecure.keys.KeyIndex;
import io.xecure.keys.KeyVerdict;
import io.xecure.keys.KeyVerifier;
import io.xecure.policy.access.AccessPolicy;
import io.xecure.policy.access.AccessRule;
import io.xecure.policy.ratelimit.CounterKey;
import io.xecure.policy.ratelimit.CounterKey.Subject;
import io.xecure.policy.ratelimit.Decision;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-request decision of issue 3 with {@code keys} keys loaded: key verification
 * (checksum, HMAC, index hit, developer), the access decision (API grant and the first matching
 * access rule's scopes on the canonical path) and the limiter (a GCRA rate and a monthly quota on
 * the key's identity). The HTTP work around it (parsing, forwarding) is measured by bench/load.sh.
 *
 * <p>The plan's limits are set high enough that no sample is ever refused, so every operation takes
 * the full granted path. JVM options as in {@link KeyVerificationBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
@SuppressWarnings("NullAway.Init") // JMH fills the fields in @Setup, before any benchmark call
public class DecisionBenchmark {
  @Param("1000000")
  public int keys;

  private KeyVerifier verifier;
  private AccessPolicy access;
  private MemoryLimiterStore limiter;
  private PlanConfig plan;
  private long nowMillis;
  private String[] valid;

  @Setup
  public void load() {
    KeyPopulation population = new KeyPopulation(KeyPopulation.Rows.STORE);
    KeyIndex index = new KeyIndex(keys + KeyVerificationBenchmark.SAMPLES);
    valid =
        population
            .loadGenerated(index, keys, KeyVerificationBenchmark.SAMPLES)
            .toArray(String[]::new);
    index.markReady();
    verifier = new KeyVerifier(population.format, population.hasher, index);
    nowMillis = population.now.toEpochMilli();
    access =
        new AccessPolicy(
            "users",
            List.of(
                new AccessRule(List.of("GET", "HEAD"), "/users/**", List.of("users:read")),
                new AccessRule(
                    List.of("POST", "PUT", "PATCH", "DELETE"),
                    "/users/**",
                    List.of("users:write"))));
    limiter = new MemoryLimiterStore(Clock.systemUTC());
    plan =
        new PlanConfig(
            new PlanConfig.Rate(1_000_000_000L, Duration.ofSeconds(1)),
            new PlanConfig.Quota(Long.MAX_VALUE / 4, PlanConfig.QuotaWindow.MONTH),
            PlanConfig.LimitBy.KEY);
    for (String key : valid) {
      if (decide(key) != Decision.Verdict.GRANTED) {
        throw new IllegalStateException("a sample is not granted");
      }
    }
  }

  private Decision.Verdict decide(String presented) {
    KeyVerdict verdict = verifier.verify(presented, nowMillis);
    IndexedKey key = verdict.key();
    if (!verdict.valid() || key == null) {
      throw new IllegalStateException("not valid: " + verdict.outcome());
    }
    if (access.check(key, "GET", "/users/42", "127.0.0.1") != null) {
      throw new IllegalStateException("access denied");
    }
    return limiter
        .acquire(new CounterKey("pro", Subject.KEY, key.identityId()), plan)
        .result()
        .verdict();
  }

  @Benchmark
  public Decision.Verdict validKeyGrantedGet(KeyVerificationBenchmark.Cursor cursor) {
    return decide(valid[cursor.next()]);
  }
}
