package io.xecure.usage;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What usage is counted per. Ordered from the finest to the coarsest: a key belongs to one
 * developer, and a key's or developer's rows are also split by API, so a finer dimension's rows can
 * answer a question about a coarser one (a developer's usage per API, a key's usage per API).
 */
public enum UsageDimension {
  /** Per key identity: a rotated key's usage continues its predecessor's (SPEC §4). */
  KEY,
  DEVELOPER,
  API;

  /** The name in the store and the admin API: {@code key}, {@code developer}, {@code api}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static @Nullable UsageDimension parse(String text) {
    for (UsageDimension d : values()) {
      if (d.wire().equals(text)) {
        return d;
      }
    }
    return null;
  }

  /** The finer of the two: the one whose rows can answer both. */
  public UsageDimension finer(UsageDimension other) {
    return ordinal() <= other.ordinal() ? this : other;
  }
}
