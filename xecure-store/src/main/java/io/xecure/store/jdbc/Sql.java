package io.xecure.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Borrows a pooled connection for one unit of work and maps every SQLException through {@link
 * StoreErrors}, so no method of the store lets a checked driver exception escape.
 */
final class Sql {
  private final DataSource dataSource;

  Sql(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Runs in auto-commit: one statement, or reads that need no common snapshot. */
  <T> T read(String operation, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw StoreErrors.translate(operation, "row", e);
    }
  }

  /** Attempts of a transaction the database aborted as a deadlock or serialization failure. */
  private static final int ATTEMPTS = 4;

  /**
   * Runs in one transaction: committed when the work returns, rolled back when it throws. A
   * transaction the database aborted to break a deadlock or a serialization conflict (SQLState
   * 40001, or PostgreSQL's 40P01) had no effect, so it is run again, up to {@value #ATTEMPTS}
   * times: concurrent writers of the same rows (usage upserts from several nodes) then all succeed.
   */
  <T> T transaction(String operation, String subject, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(work);
      } catch (SQLException e) {
        if (attempt >= ATTEMPTS || !retryable(e)) {
          throw StoreErrors.translate(operation, subject, e);
        }
        pause(attempt);
      }
    }
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5L * attempt, 20L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T attempt(SqlWork<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    }
  }

  /** {@link #transaction} for work that returns nothing. */
  void write(String operation, String subject, SqlAction action) {
    transaction(
        operation,
        subject,
        c -> {
          action.run(c);
          return Boolean.TRUE;
        });
  }

  /**
   * Runs long reads in one read-only REPEATABLE READ transaction: every statement sees the same
   * snapshot (no key without its developer), and PostgreSQL only streams a result with a fetch size
   * when auto-commit is off; otherwise it would hold all rows in memory at once.
   */
  void snapshot(String operation, SqlAction action) {
    try (Connection c = dataSource.getConnection()) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try {
        action.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw StoreErrors.translate(operation, "row", e);
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // the original failure is what matters; a broken connection is evicted by the pool
      cause.addSuppressed(e);
    }
  }
}
