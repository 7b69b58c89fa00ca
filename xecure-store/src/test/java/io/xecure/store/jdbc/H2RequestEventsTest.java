package io.xecure.store.jdbc;

import io.xecure.store.RequestEventStore;
import io.xecure.store.RequestEventStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The request-event contract on the JDBC store's embedded H2 file database. */
class H2RequestEventsTest extends RequestEventStoreContract {
  @SuppressWarnings("NullAway.Init") // injected by JUnit
  @TempDir
  Path dir;

  @Override
  protected RequestEventStore openEvents() {
    return JdbcStore.open(TestDatabases.h2Url(dir), null, null);
  }
}
