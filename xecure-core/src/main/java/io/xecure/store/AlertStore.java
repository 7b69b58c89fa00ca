package io.xecure.store;

import io.xecure.model.Alert;
import io.xecure.model.AlertType;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where alerts are kept: one open alert per type and subject, shared by every node on the same
 * database. Like {@link Store}, every method may block and throws {@link StoreUnavailableException}
 * when the database fails.
 */
public interface AlertStore {

  /** The outcome of {@link #raiseAlert}: the alert as stored, and whether this raise opened it. */
  record Raised(Alert alert, boolean opened) {}

  /**
   * Records one occurrence of {@code type} about {@code subject} at {@code at}. While an alert of
   * that type and subject is open, it is counted into it (count + 1, last_seen and detail
   * replaced); otherwise a new open alert with id {@code newId} is created. Atomic across nodes:
   * two nodes raising the same alert at once end with one open alert counted twice.
   */
  Raised raiseAlert(String newId, AlertType type, String subject, String detail, Instant at);

  Optional<Alert> alert(String id);

  /**
   * Alerts newest first (by id, which grows with first_seen); null filters mean any; {@code cursor}
   * is the last id of the previous page.
   */
  Page<Alert> alerts(
      Alert.@Nullable Status status, @Nullable AlertType type, int limit, @Nullable String cursor);

  /**
   * The outcome of {@link #acknowledgeAlert}: the alert as stored, and whether this call acked it.
   */
  record Acknowledged(Alert alert, boolean changed) {}

  /**
   * Acknowledges the alert: it stops counting occurrences, and the next one opens a new alert. An
   * alert already acknowledged is returned unchanged ({@code changed} false); empty when there is
   * no such alert.
   */
  Optional<Acknowledged> acknowledgeAlert(String id, String actor, Instant at);
}
