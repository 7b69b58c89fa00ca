package io.xecure.alerts;

import io.vertx.core.json.JsonObject;
import io.xecure.model.Alert;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An alert as the admin API and the webhook show it: snake_case, ISO-8601 UTC times. */
public final class AlertJson {
  private AlertJson() {}

  public static JsonObject of(Alert a) {
    return new JsonObject()
        .put("id", a.id())
        .put("type", a.type().wire())
        .put("subject", a.subject())
        .put("detail", a.detail())
        .put("first_seen", time(a.firstSeen()))
        .put("last_seen", time(a.lastSeen()))
        .put("count", a.count())
        .put("status", a.status().wire())
        .put("acked_at", time(a.ackedAt()))
        .put("acked_by", a.ackedBy());
  }

  private static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }
}
