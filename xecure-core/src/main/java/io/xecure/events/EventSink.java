package io.xecure.events;

/**
 * Where request events go. {@link #record} is called on the event loop once per request and must
 * never block or fail the request: implementations queue, and count what they drop.
 */
public interface EventSink {
  void record(RequestEvent event);

  EventSink NONE = event -> {};
}
