package io.xecure.admin;

import io.xecure.store.Store;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import java.nio.file.Path;

/** The admin contract on the embedded store: a JdbcStore on an H2 file in a temporary folder. */
class AdminApiH2Test extends AdminApiContract {
  @Override
  Store newStore(Path dir) {
    return JdbcStore.open(TestDatabases.h2Url(dir), null, null);
  }
}
