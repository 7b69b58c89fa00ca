package io.xecure.store;

/** An event as listed by the store, with its position for paging. */
public record StoredEvent<T>(T event, EventPosition position) {}
