package io.xecure.bench;

import io.xecure.keys.KeyIndex;
import io.xecure.keys.KeyOutcome;
import io.xecure.keys.KeyVerdict;
import io.xecure.keys.KeyVerifier;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link KeyVerifier#verify} against an index of {@code keys} entries (SPEC §5 step 3), one
 * benchmark per path a presented key can take.
 *
 * <p>Forked JVM: a fixed 2 GiB heap (a million keys take about half a gigabyte, see {@link
 * KeyIndexFootprint}; {@code -Xms} equal to {@code -Xmx} so the heap is not resized during
 * measurement) and the Parallel collector: the index is built once and never changes, the
 * benchmarks allocate only short-lived verdicts and hashes, and Parallel has no concurrent GC
 * threads or barriers to take CPU from the measured thread on a small machine.
 *
 * <p>Each benchmark cycles through {@value #SAMPLES} prepared keys, so the index entries they hit
 * stay in the CPU caches: the figures are the CPU cost of checksum, HMAC and look-up, not the
 * memory latency of a cold entry.
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
public class KeyVerificationBenchmark {
  /** A power of two, so that cycling is a mask. */
  static final int SAMPLES = 512;

  @Param("1000000")
  public int keys;

  private KeyVerifier verifier;
  private long nowMillis;
  private String[] valid;
  private String[] unknown;
  private String[] malformed;
  private String[] legacy;

  /** Where each thread is in the sample arrays; per thread so that threads never share a line. */
  @State(Scope.Thread)
  public static class Cursor {
    private int next;

    int next() {
      return next++ & (SAMPLES - 1);
    }
  }

  @Setup(Level.Trial)
  public void load() {
    KeyPopulation population = new KeyPopulation(KeyPopulation.Rows.STORE);
    KeyIndex index = new KeyIndex(keys + SAMPLES);
    valid = population.loadGenerated(index, keys, SAMPLES).toArray(String[]::new);
    legacy = population.importLegacy(index, SAMPLES, keys).toArray(String[]::new);
    index.markReady();
    unknown = new String[SAMPLES];
    malformed = new String[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      unknown[i] = population.unknownKey();
      malformed[i] = population.malformedKey();
    }
    verifier = new KeyVerifier(population.format, population.hasher, index);
    nowMillis = population.now.toEpochMilli();
    check(valid, KeyOutcome.VALID);
    check(legacy, KeyOutcome.VALID);
    check(unknown, KeyOutcome.UNKNOWN);
    check(malformed, KeyOutcome.MALFORMED);
  }

  /** Refuses to measure a path the samples do not actually take. */
  private void check(String[] samples, KeyOutcome expected) {
    if (samples.length != SAMPLES) {
      throw new IllegalStateException("need " + SAMPLES + " samples, got " + samples.length);
    }
    for (String key : List.of(samples)) {
      KeyOutcome got = verifier.verify(key, nowMillis).outcome();
      if (got != expected) {
        throw new IllegalStateException("sample meant to be " + expected + " is " + got);
      }
    }
  }

  /** A generated key in the index: checksum, HMAC, hit, developer look-up. */
  @Benchmark
  public KeyVerdict validKey(Cursor cursor) {
    return verifier.verify(valid[cursor.next()], nowMillis);
  }

  /** A well-formed key with a valid checksum that is not in the index: checksum, HMAC, miss. */
  @Benchmark
  public KeyVerdict unknownWellFormedKey(Cursor cursor) {
    return verifier.verify(unknown[cursor.next()], nowMillis);
  }

  /** A generated-looking key with a wrong checksum: rejected before any hashing. */
  @Benchmark
  public KeyVerdict malformedKey(Cursor cursor) {
    return verifier.verify(malformed[cursor.next()], nowMillis);
  }

  /** An imported {@code bk_} + 32 hex key: printable-ASCII scan, HMAC, hit. */
  @Benchmark
  public KeyVerdict importedLegacyKey(Cursor cursor) {
    return verifier.verify(legacy[cursor.next()], nowMillis);
  }
}
