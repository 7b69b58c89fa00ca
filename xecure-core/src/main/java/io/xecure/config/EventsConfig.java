package io.xecure.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Event recording (SPEC §7): {@code events: { enabled, file, max_file_size, max_file_age,
 * spool_dir, retention }}.
 *
 * @param enabled false records nothing (no store writes, no file)
 * @param file the JSON-lines file every request event is appended to; null for none
 * @param maxFileSize the file is rotated (renamed with a time stamp) once it reaches this size
 * @param maxFileAge ... or once it is this old
 * @param spoolDir where batches wait, one file each, while the store is unreachable; created when
 *     first needed
 * @param retention request events older than this are deleted from the store, and rotated files
 *     older than this from the file's directory; admin events are kept
 */
public record EventsConfig(
    boolean enabled,
    @Nullable String file,
    long maxFileSize,
    Duration maxFileAge,
    String spoolDir,
    Duration retention) {
  public static final long DEFAULT_MAX_FILE_SIZE = 100L << 20;
  public static final Duration DEFAULT_MAX_FILE_AGE = Duration.ofDays(1);
  public static final String DEFAULT_SPOOL_DIR = "./data/spool";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /** The file (or none) with every other setting at its default. */
  public EventsConfig(boolean enabled, @Nullable String file) {
    this(
        enabled,
        file,
        DEFAULT_MAX_FILE_SIZE,
        DEFAULT_MAX_FILE_AGE,
        DEFAULT_SPOOL_DIR,
        DEFAULT_RETENTION);
  }

  public EventsConfig withSpoolDir(String dir) {
    return new EventsConfig(enabled, file, maxFileSize, maxFileAge, dir, retention);
  }
}
