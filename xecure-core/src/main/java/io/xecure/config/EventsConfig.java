package io.xecure.config;

import io.xecure.scrub.Scrubber;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Event recording (SPEC §7): {@code events: { enabled, file, access_log, max_file_size,
 * max_file_age, spool_dir, redact_params, engine, duckdb: { file, memory_limit }, max_store_lag }}.
 *
 * @param enabled false records nothing (no store writes, no file)
 * @param file the JSON-lines file every request event is appended to; null for none
 * @param accessLog whether one access-log line per request goes to the {@code xecure.access} logger
 *     (stdout); independent of {@code enabled}
 * @param maxFileSize the file is rotated (renamed with a time stamp) once it reaches this size
 * @param maxFileAge ... or once it is this old
 * @param spoolDir where batches wait, one file each, while the store is unreachable; created when
 *     first needed
 * @param retention request events older than this are deleted from the store, and rotated files
 *     older than this from the file's directory; set by {@code retention.events} (one setting for
 *     both)
 * @param redactParams query parameters whose values are never written down (SPEC §4), besides every
 *     API's query key locations; default {@link Scrubber#DEFAULT_PARAMS}
 * @param engine where request events are kept; null: the store's default ({@link #engineFor})
 * @param duckdbFile the DuckDB file of {@link Engine#DUCKDB}; null: {@code events.duckdb} in the H2
 *     store's directory
 * @param duckdbMemoryLimit bytes DuckDB may use (its {@code memory_limit})
 * @param maxStoreLag with an events file: how long ago an event the store lacks may have been
 *     recorded before the store is written at normal priority, competing with requests for the
 *     CPUs, rather than only when they leave one idle
 */
public record EventsConfig(
    boolean enabled,
    @Nullable String file,
    boolean accessLog,
    long maxFileSize,
    Duration maxFileAge,
    String spoolDir,
    Duration retention,
    List<String> redactParams,
    @Nullable Engine engine,
    @Nullable String duckdbFile,
    long duckdbMemoryLimit,
    Duration maxStoreLag) {
  public static final long DEFAULT_MAX_FILE_SIZE = 100L << 20;
  public static final long DEFAULT_DUCKDB_MEMORY_LIMIT = 128L << 20;
  public static final Duration DEFAULT_MAX_STORE_LAG = Duration.ofMinutes(1);

  /** Where request events are kept. */
  public enum Engine {
    /** A DuckDB file of the node's own: off the Java heap, cheap to append; one node only. */
    DUCKDB,
    /** The store ({@code store.url}) with everything else: what a cluster shares. */
    STORE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Request events keep to the configured engine, else DuckDB with H2 and the store otherwise. */
  public Engine engineFor(StoreConfig store) {
    if (engine != null) {
      return engine;
    }
    return store.url().startsWith("jdbc:h2:") ? Engine.DUCKDB : Engine.STORE;
  }

  public static final Duration DEFAULT_MAX_FILE_AGE = Duration.ofDays(1);
  public static final String DEFAULT_SPOOL_DIR = "./data/spool";

  /** The file (or none) with every other setting at its default. */
  public EventsConfig(boolean enabled, @Nullable String file) {
    this(enabled, file, true);
  }

  /** The file (or none) and the access log, with every other setting at its default. */
  public EventsConfig(boolean enabled, @Nullable String file, boolean accessLog) {
    this(
        enabled,
        file,
        accessLog,
        DEFAULT_MAX_FILE_SIZE,
        DEFAULT_MAX_FILE_AGE,
        DEFAULT_SPOOL_DIR,
        RetentionConfig.DEFAULT.events(),
        Scrubber.DEFAULT_PARAMS,
        null,
        null,
        DEFAULT_DUCKDB_MEMORY_LIMIT,
        DEFAULT_MAX_STORE_LAG);
  }

  public EventsConfig withSpoolDir(String dir) {
    return new EventsConfig(
        enabled,
        file,
        accessLog,
        maxFileSize,
        maxFileAge,
        dir,
        retention,
        redactParams,
        engine,
        duckdbFile,
        duckdbMemoryLimit,
        maxStoreLag);
  }

  public EventsConfig withEngine(@Nullable Engine to) {
    return new EventsConfig(
        enabled,
        file,
        accessLog,
        maxFileSize,
        maxFileAge,
        spoolDir,
        retention,
        redactParams,
        to,
        duckdbFile,
        duckdbMemoryLimit,
        maxStoreLag);
  }

  public EventsConfig withMaxStoreLag(Duration lag) {
    return new EventsConfig(
        enabled,
        file,
        accessLog,
        maxFileSize,
        maxFileAge,
        spoolDir,
        retention,
        redactParams,
        engine,
        duckdbFile,
        duckdbMemoryLimit,
        lag);
  }
}
