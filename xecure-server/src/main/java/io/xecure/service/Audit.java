package io.xecure.service;

import io.xecure.store.AdminEvent;
import io.xecure.store.EventStore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records admin changes as {@link AdminEvent}s. Call on a worker: it writes to the store. */
public final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

  private final EventStore store;
  private final Clock clock;

  public Audit(EventStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Appends the event. The change it describes is already durable and indexed, so a failure to
   * record it is logged rather than reported as a failed change (which would invite a retry).
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
