package io.xecure.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The portal store contract on an embedded H2 file database. */
class H2PortalStoreTest extends PortalStoreContract {
  @SuppressWarnings("NullAway.Init") // injected by JUnit
  @TempDir
  Path dir;

  @Override
  JdbcStore openStore() {
    return JdbcStore.open(TestDatabases.h2Url(dir), null, null);
  }
}
