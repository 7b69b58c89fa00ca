package io.xecure.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.store.StoreUnavailableException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** How driver failures reach callers: a bad value is theirs, a failing database is the store's. */
class StoreErrorsTest {

  @Test
  void aCheckConstraintFailingOverAClosedDatabaseIsTheStoreFailing() {
    // what H2 2.4.240 answered once the pool retired the connection that created the constraint
    SQLException closed = new SQLException("The database has been closed", "90098", 90098);
    SQLException check =
        new SQLException("Check constraint invalid: \"USAGE_MINUTE_DIMENSION\"", "23514", closed);

    RuntimeException translated = StoreErrors.translate("record usage", "usage", check);

    assertThat(translated)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage("store unavailable: record usage failed (SQLState 23514)")
        .hasCause(check);
  }

  @Test
  void aValueTheDatabaseRefusesIsTheCallersWithTheDriversReasonKeptForTheLog() {
    SQLException tooLong = new SQLException("Value too long for column \"NAME\": 'x...'", "22001");

    RuntimeException translated = StoreErrors.translate("create developer", "developer", tooLong);

    assertThat(translated)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("developer rejected by the store (SQLState 22001)")
        .hasCause(tooLong);
  }

  @Test
  void aDuplicateStaysADuplicate() {
    assertThat(
            StoreErrors.translate(
                "create key", "key", new SQLException("Unique index violation", "23505")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate key");
  }
}
