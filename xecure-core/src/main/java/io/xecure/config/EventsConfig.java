package io.xecure.config;

import org.jspecify.annotations.Nullable;

/**
 * Event recording.
 *
 * @param enabled whether request events go to the store (and the file)
 * @param file the JSON-lines file of request events; null: none
 * @param accessLog whether one access-log line per request goes to the {@code xecure.access} logger
 *     (stdout); independent of {@code enabled}
 */
public record EventsConfig(boolean enabled, @Nullable String file, boolean accessLog) {

  /** Events with the access log on, its default. */
  public EventsConfig(boolean enabled, @Nullable String file) {
    this(enabled, file, true);
  }
}
