package io.xecure.testing;

import io.xecure.model.Alert;
import io.xecure.model.AlertType;
import io.xecure.store.AlertStore;
import io.xecure.store.Page;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** An {@link AlertStore} in memory, with the JDBC store's contract, for admin tests. */
public final class MemoryAlertStore implements AlertStore {
  private final Map<String, Alert> alerts = new LinkedHashMap<>();

  @Override
  public synchronized Raised raiseAlert(
      String newId, AlertType type, String subject, String detail, Instant at) {
    for (Alert a : alerts.values()) {
      if (a.status() == Alert.Status.OPEN && a.type() == type && a.subject().equals(subject)) {
        Alert counted =
            new Alert(
                a.id(),
                type,
                subject,
                detail,
                a.firstSeen(),
                at,
                a.count() + 1,
                a.status(),
                null,
                null);
        alerts.put(a.id(), counted);
        return new Raised(counted, false);
      }
    }
    Alert opened =
        new Alert(newId, type, subject, detail, at, at, 1, Alert.Status.OPEN, null, null);
    alerts.put(newId, opened);
    return new Raised(opened, true);
  }

  @Override
  public synchronized Optional<Alert> alert(String id) {
    return Optional.ofNullable(alerts.get(id));
  }

  @Override
  public synchronized Page<Alert> alerts(
      Alert.@Nullable Status status, @Nullable AlertType type, int limit, @Nullable String cursor) {
    List<Alert> rows =
        alerts.values().stream()
            .filter(a -> status == null || a.status() == status)
            .filter(a -> type == null || a.type() == type)
            .filter(a -> cursor == null || a.id().compareTo(cursor) < 0)
            .sorted(Comparator.comparing(Alert::id).reversed())
            .limit(limit + 1L)
            .toList();
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<Alert> items = rows.subList(0, limit);
    return new Page<>(List.copyOf(items), items.get(limit - 1).id());
  }

  @Override
  public synchronized Optional<Acknowledged> acknowledgeAlert(String id, String actor, Instant at) {
    Alert a = alerts.get(id);
    if (a == null) {
      return Optional.empty();
    }
    if (a.status() == Alert.Status.ACKNOWLEDGED) {
      return Optional.of(new Acknowledged(a, false));
    }
    Alert acked =
        new Alert(
            a.id(),
            a.type(),
            a.subject(),
            a.detail(),
            a.firstSeen(),
            a.lastSeen(),
            a.count(),
            Alert.Status.ACKNOWLEDGED,
            at,
            actor);
    alerts.put(id, acked);
    return Optional.of(new Acknowledged(acked, true));
  }
}
