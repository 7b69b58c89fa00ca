package io.xecure.admin;

import io.xecure.store.Store;
import io.xecure.store.jdbc.TestDatabases;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * The admin contract on PostgreSQL ({@code XECURE_TEST_PG_URL}), in a fresh schema per test;
 * skipped with a printed line when PostgreSQL does not answer, failed when {@code
 * XECURE_REQUIRE_SERVICES=1}.
 */
class AdminApiPostgresTest extends AdminApiContract {
  private TestDatabases.@Nullable PostgresSchema schema;

  @Override
  Store newStore(Path dir) {
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
