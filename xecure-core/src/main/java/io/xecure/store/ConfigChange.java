package io.xecure.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A runtime change to one API or plan made through the admin API, kept so that it outlives a
 * restart. It is applied over the configuration file's definition at start-up, as long as that
 * definition is still the one it replaced ({@code base}); once the file's definition changes, the
 * file wins again.
 *
 * @param config the API or plan as JSON in the config file's shape; null for a deleted API
 * @param base a fingerprint of the file's definition this change replaced ({@link #ABSENT} when the
 *     file had none)
 */
public record ConfigChange(
    Kind kind, String name, @Nullable String config, String base, Instant changedAt) {

  /** {@link #base} of a change to something the file does not define. */
  public static final String ABSENT = "absent";

  public enum Kind {
    API,
    PLAN;

    /** The stored form: {@code api}, {@code plan}. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public boolean deleted() {
    return config == null;
  }
}
