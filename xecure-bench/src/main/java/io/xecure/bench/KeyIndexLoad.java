package io.xecure.bench;

import io.xecure.cluster.ChangeApplier;
import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.store.jdbc.JdbcStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * Start-up time with N keys in the store: {@link ChangeApplier#load} (the store's snapshot streamed
 * into a fresh {@link KeyIndex}, then marked ready), and, to tell the store's share from the
 * index's, the same snapshot streamed into nothing; wall time and the loading thread's CPU time
 * (which holds on a busy machine; a PostgreSQL server's own work is not in it).
 *
 * <p>Fills an empty store once, in bulk: developers through the store, keys as CSV, by {@code COPY
 * ... FROM STDIN} on PostgreSQL and {@code INSERT ... SELECT ... FROM CSVREAD} on H2, 20,000 rows a
 * statement (-Dxecure.bench.chunk). The keys are real ones of {@link KeyPopulation} (pepper {@link
 * KeyPopulation#PEPPER}); with {@code -Dxecure.bench.keys=FILE} the first 10 plaintexts are written
 * there, so that a gateway started on the store can be asked with them. Examples: {@code
 * KeyIndexLoad 1000000 jdbc:h2:file:/tmp/xecure-load/xecure}, {@code KeyIndexLoad 1000000
 * jdbc:postgresql://127.0.0.1:5432/test?currentSchema=keystart postgres} (the schema is created).
 */
public final class KeyIndexLoad {
  private static final int CHUNK = Integer.getInteger("xecure.bench.chunk", 20_000);
  private static final int KEEP = 10;
  private static final String COLUMNS =
      "id, developer_id, name, display_prefix, hash, status, created_at, expires_at,"
          + " apis, scopes, allowed_cidrs, identity_id";
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private KeyIndexLoad() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
    String url = args.length > 1 ? args[1] : "jdbc:h2:file:/tmp/xecure-load/xecure";
    @Nullable String user = args.length > 2 ? args[2] : null;
    int rounds = Integer.getInteger("xecure.bench.rounds", 3);
    createSchema(url, user);
    int[] present = new int[1];
    try (JdbcStore store = JdbcStore.open(url, user, null)) {
      store.loadSnapshot(d -> {}, k -> present[0]++);
      if (present[0] == 0) {
        new KeyPopulation(KeyPopulation.Rows.STORE)
            .developers(n)
            .forEach(d -> store.insertDeveloper(d, null));
      }
    }
    if (present[0] == 0) {
      // with the store closed: an embedded H2 closed its database under a long fill when the
      // store's pool retired its idle connections
      fill(url, user, n);
    } else if (present[0] < n) {
      throw new IllegalStateException(
          "store holds " + present[0] + " keys, fewer than " + n + ": use an empty one");
    }
    try (JdbcStore store = JdbcStore.open(url, user, null)) {
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        int[] rows = new int[1];
        store.loadSnapshot(d -> {}, k -> rows[0]++);
        long streamed = System.nanoTime() - start;
        long streamedCpu = THREADS.getCurrentThreadCpuTime() - cpu;
        KeyIndex index = new KeyIndex();
        start = System.nanoTime();
        cpu = THREADS.getCurrentThreadCpuTime();
        new ChangeApplier(store, index, () -> {}, System::nanoTime).load();
        long loaded = System.nanoTime() - start;
        long loadedCpu = THREADS.getCurrentThreadCpuTime() - cpu;
        System.out.printf(
            Locale.ROOT,
            "round %d: %,d rows streamed into nothing in %,d ms (thread CPU %,d ms);"
                + " ChangeApplier.load of %,d keys ready in %,d ms (thread CPU %,d ms)%n",
            round,
            rows[0],
            streamed / 1_000_000,
            streamedCpu / 1_000_000,
            index.size(),
            loaded / 1_000_000,
            loadedCpu / 1_000_000);
      }
    }
  }

  /** {@code currentSchema=} of a PostgreSQL URL, created if missing. */
  private static void createSchema(String url, @Nullable String user) throws SQLException {
    int q = url.indexOf("currentSchema=");
    if (!url.startsWith("jdbc:postgresql:") || q < 0) {
      return;
    }
    String schema = url.substring(q + "currentSchema=".length()).split("&")[0];
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    }
  }

  private static void fill(String url, @Nullable String user, int n)
      throws IOException, SQLException {
    KeyPopulation population = new KeyPopulation(KeyPopulation.Rows.STORE);
    long start = System.nanoTime();
    boolean postgres = url.startsWith("jdbc:postgresql:");
    List<String> kept = new ArrayList<>();
    Path csv = Files.createTempFile("keyindexload", ".csv");
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      for (int first = 0; first < n; first += CHUNK) {
        int count = Math.min(CHUNK, n - first);
        writeCsv(csv, population, first, count, kept);
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
          if (postgres) {
            c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                    "COPY api_keys (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv, HEADER true)",
                    in);
          } else {
            try (Statement s = c.createStatement()) {
              s.executeUpdate(
                  "INSERT INTO api_keys ("
                      + COLUMNS
                      + ") SELECT * FROM CSVREAD('"
                      + csv.toAbsolutePath()
                      + "', NULL, 'charset=UTF-8')");
            }
          }
        }
      }
      if (postgres) {
        try (Statement s = c.createStatement()) {
          s.execute("VACUUM ANALYZE api_keys");
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM api_keys")) {
        rs.next();
        System.out.printf(
            Locale.ROOT,
            "filled %,d keys in %,d ms%n",
            rs.getLong(1),
            (System.nanoTime() - start) / 1_000_000);
      }
    } finally {
      Files.deleteIfExists(csv);
    }
    String keysFile = System.getProperty("xecure.bench.keys");
    if (keysFile != null) {
      Files.write(Path.of(keysFile), kept);
    }
  }

  private static void writeCsv(
      Path csv, KeyPopulation population, int first, int count, List<String> kept)
      throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write(COLUMNS.replace(" ", "").toUpperCase(Locale.ROOT));
      out.write('\n');
      for (int i = first; i < first + count; i++) {
        ApiKeyRecord k =
            population.record(
                i,
                key -> {
                  if (kept.size() < KEEP) {
                    kept.add(key);
                  }
                });
        out.write(row(k));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** One CSV line; empty unquoted fields are NULL for both databases. */
  private static String row(ApiKeyRecord k) {
    return String.join(
            ",",
            k.id(),
            k.developerId(),
            k.name(),
            k.displayPrefix(),
            k.hash().toHex(),
            k.status().wire(),
            time(k.createdAt()),
            time(k.expiresAt()),
            list(k.apis()),
            list(k.scopes()),
            list(k.allowedCidrs()),
            k.identityId())
        + "\n";
  }

  private static String time(@Nullable Instant t) {
    return t == null ? "" : TS.format(t);
  }

  /** A JSON array of plain strings, quoted for CSV (the store's format for lists). */
  private static String list(List<String> values) {
    StringBuilder b = new StringBuilder("\"[");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ",").append("\"\"").append(values.get(i)).append("\"\"");
    }
    return b.append("]\"").toString();
  }
}
