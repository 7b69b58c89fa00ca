package io.xecure.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The record: admin (audit) events and request events, queried newest first, and retention.
 *
 * <p>Every method may block (JDBC) and must be called off the event loop, and throws {@link
 * StoreUnavailableException} when the database cannot be reached or fails.
 */
public interface EventStore extends RequestEventStore {

  /** Appends an admin event that records no change of the feed (an operator signing in, say). */
  void appendAdminEvent(AdminEvent event);

  /** Admin events within the filter's time range and admin fields; like {@link #requestEvents}. */
  List<StoredEvent<AdminEvent>> adminEvents(
      EventFilter filter, @Nullable EventPosition after, int limit);

  /** Admin events, newest first. */
  default List<AdminEvent> adminEvents(int limit) {
    return adminEvents(EventFilter.ALL, null, limit).stream().map(StoredEvent::event).toList();
  }
}
