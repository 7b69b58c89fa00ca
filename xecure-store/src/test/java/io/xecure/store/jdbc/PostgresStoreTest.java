package io.xecure.store.jdbc;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * The store contract on PostgreSQL ({@code XECURE_TEST_PG_URL}), each test in its own fresh schema;
 * skipped with a printed line when PostgreSQL does not answer, failed instead when {@code
 * XECURE_REQUIRE_SERVICES=1}.
 */
class PostgresStoreTest extends StoreContract {
  private TestDatabases.@Nullable PostgresSchema schema;

  @Override
  JdbcStore openStore() {
    schema = TestDatabases.postgresOrSkip();
    return schema.open();
  }

  @Override
  String backend() {
    return "PostgreSQL";
  }

  @AfterEach
  void dropSchema() {
    if (schema != null) {
      schema.close();
    }
  }
}
