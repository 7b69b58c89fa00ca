package io.xecure.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Filters of {@code GET /admin/events}; null means any. A filter on a field only one kind of event
 * has matches only that kind: {@code outcome}, {@code code}, {@code developerId}, {@code keyId} and
 * {@code api} select request events, {@code actor}, {@code action} and {@code target} admin events.
 *
 * @param from the earliest time, inclusive
 * @param to the latest time, exclusive
 */
public record EventFilter(
    @Nullable String outcome,
    @Nullable String code,
    @Nullable String developerId,
    @Nullable String keyId,
    @Nullable String api,
    @Nullable String actor,
    @Nullable String action,
    @Nullable String target,
    @Nullable Instant from,
    @Nullable Instant to) {
  public static final EventFilter ALL =
      new EventFilter(null, null, null, null, null, null, null, null, null, null);

  /** Whether a request event can match: no admin-only field is set. */
  public boolean coversRequests() {
    return actor == null && action == null && target == null;
  }

  /** Whether an admin event can match: no request-only field is set. */
  public boolean coversAdmin() {
    return outcome == null && code == null && developerId == null && keyId == null && api == null;
  }

  /** Whether {@code time} lies in {@code [from, to)}. */
  public boolean inTime(Instant time) {
    return (from == null || !time.isBefore(from)) && (to == null || time.isBefore(to));
  }
}
