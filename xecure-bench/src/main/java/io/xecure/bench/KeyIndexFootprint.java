package io.xecure.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.xecure.keys.KeyIndex;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Heap held by a {@link KeyIndex} of N keys: used heap after full GCs, before and after loading.
 * Run it with a fixed heap and the Parallel collector (see {@code bench/README.md}) so that {@link
 * System#gc()} is a full, synchronous collection and the figures are stable.
 *
 * <p>Two loads, one after the other: rows as the store hands them over (each with its own strings
 * and lists), then rows sharing identical strings and lists, which shows what de-duplication in the
 * loader would save without touching the index.
 */
public final class KeyIndexFootprint {
  private KeyIndexFootprint() {}

  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
    printJvm();
    warmUp();
    for (KeyPopulation.Rows rows : KeyPopulation.Rows.values()) {
      measure(n, rows);
    }
  }

  private static void measure(int n, KeyPopulation.Rows rows) throws InterruptedException {
    long before = usedAfterGc();
    KeyIndex index = new KeyIndex(n);
    new KeyPopulation(rows).loadGenerated(index, n, 0);
    index.markReady(); // as after the gateway's load: trims what growing left over
    long after = usedAfterGc();
    Reference.reachabilityFence(index);
    System.out.printf(
        Locale.ROOT,
        "rows=%-6s keys=%,d  used before=%,d B  after=%,d B  index=%,d B  %.1f bytes/key%n",
        rows.name().toLowerCase(Locale.ROOT),
        index.size(),
        before,
        after,
        after - before,
        (after - before) / (double) n);
  }

  /** Loads the classes and initialises SecureRandom and the Mac, so the baseline includes them. */
  private static void warmUp() {
    for (KeyPopulation.Rows rows : KeyPopulation.Rows.values()) {
      new KeyPopulation(rows).loadGenerated(new KeyIndex(16), 10, 0);
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void printJvm() {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String gcs =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", "));
    System.out.printf(
        Locale.ROOT,
        "JVM %s, max heap %,d MiB, GC [%s], compressed oops %s%n",
        Runtime.version(),
        Runtime.getRuntime().maxMemory() >> 20,
        gcs,
        hotspot.getVMOption("UseCompressedOops").getValue());
  }
}
