package io.xecure.store.jdbc;

import io.xecure.store.StoreUnavailableException;
import java.sql.SQLException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps a driver failure to the {@link io.xecure.store.Store} contract. Messages are short and built
 * here, never copied from the driver: H2 quotes offending values in its messages. The cause is kept
 * for operators' logs; the store never receives a plaintext key, so it cannot leak one.
 */
final class StoreErrors {
  private static final String UNIQUE_VIOLATION = "23505";
  // PostgreSQL says 23503 for a missing parent row, H2 says 23506
  private static final Set<String> MISSING_PARENT = Set.of("23503", "23506");
  // H2's DATABASE_IS_CLOSED, CONNECTION_BROKEN_1, DATABASE_CALLED_AT_SHUTDOWN
  private static final Set<String> H2_CLOSED = Set.of("90098", "90067", "90121");

  private StoreErrors() {}

  /**
   * A constraint or data error is the caller's ({@link IllegalArgumentException}: a duplicate, an
   * unknown developer, a value too long); everything else (connection refused, pool timeout, closed
   * store, lock timeout, I/O) is the store failing.
   *
   * @param subject what was being written, e.g. {@code key}: a duplicate reads "duplicate key"
   */
  static RuntimeException translate(String operation, String subject, SQLException e) {
    String state = sqlState(e);
    if (UNIQUE_VIOLATION.equals(state)) {
      return new IllegalArgumentException("duplicate " + subject);
    }
    if (state != null && MISSING_PARENT.contains(state)) {
      return new IllegalArgumentException(subject + " refers to an unknown developer");
    }
    if (state != null
        && (state.startsWith("23") || state.startsWith("22"))
        && !storeFailedBeneath(e)) {
      // the driver's exception stays as the cause, for the log: it may quote the values
      return new IllegalArgumentException(
          subject + " rejected by the store (SQLState " + state + ")", e);
    }
    return new StoreUnavailableException(
        "store unavailable: " + operation + " failed" + stateOf(e), e);
  }

  /**
   * Whether a constraint error was caused by the database failing, not by the data: H2 2.4 reported
   * a closed database, under a CHECK constraint bound to a retired connection, as "check constraint
   * invalid" (23514) — a store failure, not a bad value.
   */
  private static boolean storeFailedBeneath(SQLException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SQLException cause && isConnectionFailure(cause.getSQLState())) {
        return true;
      }
    }
    for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
      if (isConnectionFailure(next.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * SQL's connection exceptions (08), and H2's database closed, connection broken, shutting down.
   */
  private static boolean isConnectionFailure(@Nullable String state) {
    return state != null && (state.startsWith("08") || H2_CLOSED.contains(state));
  }

  /** Whether the failure is a unique-constraint violation (a row another writer inserted). */
  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(sqlState(e));
  }

  /**
   * " (SQLState x)" for the first SQLException among the causes, else "": tells an operator
   * "refused" (08001) from "bad password" (28P01) without quoting the driver.
   */
  static String stateOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        String state = sqlState(e);
        return state == null ? "" : " (SQLState " + state + ")";
      }
    }
    return "";
  }

  /** The first SQLState in the chain: batch failures put the real one on the next exception. */
  private static @Nullable String sqlState(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getSQLState() != null) {
        return s.getSQLState();
      }
      if (s.getCause() instanceof SQLException cause && cause.getSQLState() != null) {
        return cause.getSQLState();
      }
    }
    return null;
  }
}
