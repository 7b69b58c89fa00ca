package io.xecure.service;

import io.xecure.store.AdminEvent;
import io.xecure.store.EventStore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and records admin changes as {@link AdminEvent}s. A change of the feed hands its event to
 * the store with the change ({@link #event}); {@link #record} writes one on its own. Call on a
 * worker: it writes to the store.
 */
public final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

  private final EventStore store;
  private final Clock clock;

  public Audit(EventStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * The admin event of a change, for the store to write in the change's own transaction (see {@link
   * Store}): the change and its event are then both stored or neither.
   */
  public AdminEvent event(String actor, String action, String target, String detail) {
    return new AdminEvent(
        clock.instant().truncatedTo(ChronoUnit.MILLIS), actor, action, target, detail);
  }

  /**
   * Appends an event that records no change of the feed (an operator signing in, a bulk import's
   * summary, a leak report of a key already revoked). What it describes has already happened, so a
   * failure to record it is logged rather than reported as a failure (which would invite a retry).
   */
  public void record(String actor, String action, String target, String detail) {
    try {
      store.appendAdminEvent(
          new AdminEvent(
              clock.instant().truncatedTo(ChronoUnit.MILLIS), actor, action, target, detail));
    } catch (RuntimeException e) {
      LOG.warn("admin event {} on {} not recorded: {}", action, target, e.toString());
    }
  }
}
