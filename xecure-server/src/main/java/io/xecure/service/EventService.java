package io.xecure.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.events.RequestEvent;
import io.xecure.store.AdminEvent;
import io.xecure.store.Store;
import java.util.List;

/** Reads recent audit events (admin changes and data-plane decisions) from the store. */
public final class EventService {
  private final Vertx vertx;
  private final Store store;

  public EventService(Vertx vertx, Store store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Both kinds, each newest first, at most {@code limit} of each. */
  public Future<Recent> recent(int limit) {
    return vertx.executeBlocking(
        () -> new Recent(store.adminEvents(limit), store.requestEvents(limit)), false);
  }

  public record Recent(List<AdminEvent> admin, List<RequestEvent> requests) {}
}
