package io.xecure.store.jdbc;

import io.xecure.store.RequestEventStore;
import io.xecure.store.RequestEventStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * The request-event contract on PostgreSQL, each test in its own fresh schema; skipped like {@link
 * PostgresStoreTest} when PostgreSQL does not answer.
 */
class PostgresRequestEventsTest extends RequestEventStoreContract {
  private TestDatabases.@Nullable PostgresSchema schema;

  @Override
  protected RequestEventStore openEvents() {
    schema = TestDatabases.postgresOrSkip();
    return schema.open();
  }

  @AfterEach
  void dropSchema() {
    if (schema != null) {
      schema.close();
    }
  }
}
