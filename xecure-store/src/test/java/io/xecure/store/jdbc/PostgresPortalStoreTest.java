package io.xecure.store.jdbc;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * The portal store contract on PostgreSQL, each test in its own fresh schema; skipped like {@link
 * PostgresStoreTest} when PostgreSQL does not answer.
 */
class PostgresPortalStoreTest extends PortalStoreContract {
  private TestDatabases.@Nullable PostgresSchema schema;

  @Override
  JdbcStore openStore() {
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
