package io.xecure.bench;

import io.xecure.cluster.ChangeApplier;
import io.xecure.keys.KeyIndex;
import io.xecure.model.Developer;
import io.xecure.store.jdbc.JdbcStore;
import java.util.List;
import java.util.Locale;

/**
 * Start-up time with N keys in the store: {@link ChangeApplier#load} (the store's snapshot streamed
 * into a fresh {@link KeyIndex}, then marked ready), and, to tell the store's share from the
 * index's, the same snapshot streamed into nothing. Fills the store once, on the first run against
 * it (an H2 file by default: {@code KeyIndexLoad 1000000 jdbc:h2:file:/tmp/xecure-load/xecure}).
 */
public final class KeyIndexLoad {
  private static final int BATCH = 10_000;

  private KeyIndexLoad() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
    String url = args.length > 1 ? args[1] : "jdbc:h2:file:/tmp/xecure-load/xecure";
    try (JdbcStore store = JdbcStore.open(url, args.length > 2 ? args[2] : null, null)) {
      int[] present = new int[1];
      store.loadSnapshot(d -> {}, k -> present[0]++);
      if (present[0] < n) {
        fill(store, present[0], n);
      }
      for (int round = 0; round < 3; round++) {
        long start = System.nanoTime();
        int[] rows = new int[1];
        store.loadSnapshot(d -> {}, k -> rows[0]++);
        long streamed = System.nanoTime() - start;
        KeyIndex index = new KeyIndex();
        start = System.nanoTime();
        new ChangeApplier(store, index, () -> {}, System::nanoTime).load();
        long loaded = System.nanoTime() - start;
        System.out.printf(
            Locale.ROOT,
            "round %d: %,d rows streamed into nothing in %,d ms; ChangeApplier.load of %,d keys"
                + " ready in %,d ms%n",
            round,
            rows[0],
            streamed / 1_000_000,
            index.size(),
            loaded / 1_000_000);
      }
    }
  }

  private static void fill(JdbcStore store, int from, int n) {
    KeyPopulation population = new KeyPopulation(KeyPopulation.Rows.STORE);
    List<Developer> developers = population.developers(n);
    if (from == 0) {
      developers.forEach(d -> store.insertDeveloper(d, null));
    }
    long start = System.nanoTime();
    for (int i = from; i < n; i += BATCH) {
      store.insertKeys(population.records(i, Math.min(BATCH, n - i)));
    }
    System.out.printf(
        Locale.ROOT,
        "filled %,d keys in %,d s%n",
        n - from,
        (System.nanoTime() - start) / 1_000_000_000);
  }
}
