package io.xecure.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.events.RequestEvent;
import io.xecure.store.AdminEvent;
import io.xecure.store.EventFilter;
import io.xecure.store.EventPosition;
import io.xecure.store.EventStore;
import io.xecure.store.Page;
import io.xecure.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Lists audit events — data-plane decisions and admin changes — newest first, page by page, from
 * the store.
 *
 * <p>Both kinds are one list: each page reads up to {@code limit + 1} of each kind after the cursor
 * and merges them. The order is time, newest first; among events of the same time, request events
 * before admin events, each kind later-stored first. The cursor names the last event shown: its
 * kind, time and store sequence ({@code r1767323045_123456000_42}).
 */
public final class EventService {
  /** Which events to list. */
  public enum Kind {
    ALL,
    REQUEST,
    ADMIN;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** 9999-12-31T23:59:59Z: no stored event is later, every database holds it. */
  private static final long LATEST_SECOND = 253_402_300_799L;

  private static final Pattern CURSOR = Pattern.compile("([ra])(\\d{1,18})_(\\d{1,9})_(\\d{1,18})");
  private static final Comparator<StoredEvent<?>> NEWEST_FIRST =
      Comparator.<StoredEvent<?>, Instant>comparing(e -> e.position().time())
          .reversed()
          .thenComparing(e -> e.event() instanceof AdminEvent)
          .thenComparing(e -> e.position().seq(), Comparator.reverseOrder());

  private final Vertx vertx;
  private final EventStore store;

  public EventService(Vertx vertx, EventStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /**
   * Whether {@code cursor} can be one this service gave out: its form, and a time from 1970 to 9999
   * (a tampered one out of that range would fail in {@link Instant} or in the database).
   */
  public static boolean isCursor(String cursor) {
    return Cursor.parse(cursor) != null;
  }

  /**
   * One page of events newest first; items are {@link StoredEvent}s of {@link RequestEvent} or
   * {@link AdminEvent}. A filter field of one kind leaves the other kind out.
   *
   * @param cursor the {@code nextCursor} of the previous page, checked with {@link #isCursor}
   */
  public Future<Page<StoredEvent<?>>> list(
      Kind kind, EventFilter filter, int limit, @Nullable String cursor) {
    return vertx.executeBlocking(() -> read(kind, filter, limit, cursor), false);
  }

  private Page<StoredEvent<?>> read(
      Kind kind, EventFilter filter, int limit, @Nullable String cursor) {
    Cursor after = cursor == null ? null : Cursor.parse(cursor);
    if (cursor != null && after == null) {
      throw new IllegalArgumentException("not a cursor of GET /admin/events; check isCursor first");
    }
    List<StoredEvent<?>> merged = new ArrayList<>();
    if (kind != Kind.ADMIN && filter.coversRequests()) {
      // at the cursor's time, request events come first: after an admin event, none is left
      EventPosition from = after == null ? null : after.position(false, Long.MIN_VALUE);
      merged.addAll(store.requestEvents(filter, from, limit + 1));
    }
    if (kind != Kind.REQUEST && filter.coversAdmin()) {
      // ... and admin events last: after a request event, all of that time are left
      EventPosition from = after == null ? null : after.position(true, Long.MAX_VALUE);
      merged.addAll(store.adminEvents(filter, from, limit + 1));
    }
    merged.sort(NEWEST_FIRST);
    if (merged.size() <= limit) {
      return new Page<>(List.copyOf(merged), null);
    }
    StoredEvent<?> last = merged.get(limit - 1);
    return new Page<>(List.copyOf(merged.subList(0, limit)), Cursor.of(last));
  }

  /** The last event of a page, in the merged order. */
  private record Cursor(boolean admin, Instant time, long seq) {
    static String of(StoredEvent<?> e) {
      Instant t = e.position().time();
      return (e.event() instanceof AdminEvent ? "a" : "r")
          + t.getEpochSecond()
          + "_"
          + t.getNano()
          + "_"
          + e.position().seq();
    }

    /** The cursor {@code text} names; null when it is not one {@link #of} could have made. */
    static @Nullable Cursor parse(String text) {
      Matcher m = CURSOR.matcher(text);
      if (!m.matches()) {
        return null;
      }
      long seconds = Long.parseLong(m.group(2));
      if (seconds > LATEST_SECOND) {
        return null;
      }
      Instant time = Instant.ofEpochSecond(seconds, Long.parseLong(m.group(3)));
      return new Cursor(m.group(1).equals("a"), time, Long.parseLong(m.group(4)));
    }

    /**
     * Where listing continues in the table of one kind: right after the cursor in its own kind's
     * table, else at the cursor's time with {@code edge} as the sequence.
     */
    EventPosition position(boolean adminTable, long edge) {
      return new EventPosition(time, adminTable == admin ? seq : edge);
    }
  }
}
