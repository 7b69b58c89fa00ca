package io.xecure.events;

import java.util.List;

/** Combines sinks: every request event goes to each, in order (recorder, usage, alerts, ...). */
public final class EventSinks {
  private EventSinks() {}

  public static EventSink fanOut(List<EventSink> sinks) {
    if (sinks.isEmpty()) {
      return EventSink.NONE;
    }
    if (sinks.size() == 1) {
      return sinks.get(0);
    }
    EventSink[] all = sinks.toArray(EventSink[]::new);
    return event -> {
      for (EventSink sink : all) {
        sink.record(event);
      }
    };
  }
}
